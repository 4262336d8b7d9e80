// pages: autoscaling-overview
// The plugin's landing page as an admin sees it: scaler counts that match the cluster, NodePools against their
// limits, the mode indicator, numbers that open the list they count; light and dark screenshots.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withSession } from './lib/browser.mjs';
import { clusterPath } from './lib/context.mjs';
import { setTheme, waitForPlugin } from './lib/headlamp.mjs';
import { list } from './lib/kube.mjs';
import { eventually } from './lib/poll.mjs';

const MODE = /^(Live from Autoscaling Insights server|Direct mode: .*)$/;

async function openOverview(session) {
  await session.goto(clusterPath('/autoscaling'));
  await waitForPlugin(session);
  const host = session.page.locator('.autoscaling-insights-host');
  await eventually('the overview tiles', async () => (await host.getByTestId('ai-overview-scalers').count()) > 0);
  return host;
}

test('the overview counts what the cluster has and links each number to its list', async () => {
  const scaled = (await list('scaledobjects.keda.sh')).length + (await list('scaledjobs.keda.sh')).length;
  const pools = (await list('nodepools.karpenter.sh')).map(p => p.metadata.name).sort();
  await withSession({ name: 'overview' }, async session => {
    const host = await openOverview(session);
    const tile = host.getByTestId('ai-overview-scalers');
    const total = await eventually(`${scaled} scalers counted`, async () => {
      const n = Number((await tile.locator('.ai-tile-big a').innerText()).trim());
      return n === scaled ? n : false;
    });
    assert.equal(total, scaled);
    // Every state row is a link to the pre-filtered list.
    for (const state of ['active', 'at-zero', 'idle', 'erroring', 'paused', 'fallback']) {
      const href = await tile.locator(`li[data-state="${state}"] a`).getAttribute('href');
      assert.match(href, new RegExp(`/autoscaling/scaledobjects\\?state=${state}$`));
    }
    // NodePools: one row per NodePool, with bars against their limits.
    const rows = await eventually('a row per NodePool', async () => {
      const names = await host.getByRole('table', { name: 'NodePools' }).locator('tbody tr td:first-child').allInnerTexts();
      return names.length === pools.length ? names.map(n => n.trim()).sort() : false;
    });
    assert.deepEqual(rows, pools);
    assert.ok((await host.getByRole('table', { name: 'NodePools' }).locator('[role=meter]').count()) >= pools.length);
    // The mode indicator says where the numbers come from.
    const mode = await eventually('the mode indicator', async () => {
      const el = host.getByTestId('ai-source').locator('.ai-source-label');
      const text = (await el.count()) ? (await el.innerText()).trim() : '';
      return MODE.test(text) ? text : false;
    });
    assert.match(mode, MODE);
    // Following a number opens the list inside Headlamp (no reload), filtered by the URL.
    await tile.locator('li[data-state="active"] a').click();
    await eventually('the ScaledObjects list', async () => session.page.url().includes('/autoscaling/scaledobjects?state=active'));
    for (const theme of ['light', 'dark']) {
      await openOverview(session);
      await setTheme(session, theme);
      await eventually('the overview to settle', async () => (await host.locator('.ai-panel-loading').count()) === 0);
      await session.screenshot(`overview-${theme}`);
    }
    assert.deepEqual(session.problems, []);
  });
});
