// Every page of the plugin that keda-pages.test.mjs does not already picture, in Headlamp's light and dark
// themes, on the demo cluster as captured (testdata/demo/blocked: a blocked scale-out, real objects): the
// page renders its content (no error panel, nothing left loading), sets the theme, logs no error.
// Screenshots: e2e/out/contract/<page>-<light|dark>.png (README and docs/screenshots/ use them).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { answer, demoMoment, withQuery } from './demo-api.mjs';
import { CLUSTER, fullScreenshot, openBrowser, shotPath, startHeadlamp } from './headlamp.mjs';
import { eventually } from './poll.mjs';

let headlamp;
before(async () => {
  headlamp = await startHeadlamp();
});
after(() => headlamp?.stop());

const PAGES = [
  // The capture has team-b/web wanting 9 replicas with 5 pods Pending on the capped NodePool's limit.
  { page: 'overview', url: 'autoscaling', expect: ['Scalers', 'NodePools', 'Scale-outs waiting for capacity'], absent: ['No scale-out waiting'] },
  { page: 'nodepools', url: 'autoscaling/nodepools', expect: ['capped', 'general'] },
  { page: 'nodepool', url: 'autoscaling/nodepools/capped', expect: ['capped'] },
  { page: 'nodeclaims', url: 'autoscaling/nodeclaims', expect: ['capped-clq5d', 'general-mtfrn'] },
  { page: 'nodeclaim', url: 'autoscaling/nodeclaims/general-mtfrn', expect: ['general-mtfrn', 'Launched'] },
  { page: 'nodeclasses', url: 'autoscaling/nodeclasses', expect: ['default'] },
  { page: 'nodeclass', url: 'autoscaling/nodeclasses/karpenter.kwok.sh/KWOKNodeClass/default', expect: ['default'] },
  { page: 'nodes', url: 'autoscaling/nodes', expect: ['general'] },
  { page: 'pending', url: 'autoscaling/pending', expect: ['Pending'] },
  { page: 'chains', url: 'autoscaling/chains', expect: ['orders'] },
  { page: 'chain', url: 'autoscaling/chains/team-a/orders', expect: ['orders'] },
  { page: 'coldstarts', url: 'autoscaling/coldstarts', expect: ['Cold starts'] },
  // Headlamp's plugin settings page, outside any cluster.
  { page: 'settings', path: '/settings/plugins/autoscaling-insights', expect: ['Autoscaling Insights server', 'Prometheus (charts)', 'Check server'] },
];

const demo = demoMoment('blocked');
const api = (path, r) => answer(demo, withQuery(path, r));

for (const p of PAGES) {
  test(`${p.page}: renders the blocked scale-out capture in light and dark`, async () => {
    for (const theme of ['light', 'dark']) {
      const b = await openBrowser({ theme, api });
      try {
        await b.page.goto(p.path ? `${headlamp.url}${p.path}` : `${headlamp.url}/c/${CLUSTER}/${p.url}`);
        const host = b.page.locator('.autoscaling-insights-host').first();
        await eventually(`${p.page} to show ${p.expect.join(', ')}`, async () => {
          if ((await host.count()) === 0) return false;
          const t = await host.innerText();
          return p.expect.every(e => t.includes(e));
        });
        assert.equal(await host.getAttribute('data-theme'), theme);
        const text = await host.innerText();
        for (const a of p.absent ?? []) assert.ok(!text.includes(a), `${p.page} does not say "${a}"`);
        await eventually('sections loaded', async () => (await b.page.locator('.ai-panel-loading').count()) === 0);
        assert.equal(await b.page.locator('.ai-panel-error').count(), 0, `${p.page}: no error panel`);
        await fullScreenshot(b.page, shotPath(`${p.page}-${theme}`));
        assert.deepEqual(b.errors, [], 'no console or page errors');
      } finally {
        await b.close();
      }
    }
  });
}
