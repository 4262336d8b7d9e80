// Karpenter, nodes, pending pods, chains and cold starts — and the plugin's sections and columns on
// Headlamp's own pages — through the built plugin in Headlamp's frontend code, on the objects captured from
// the demo scenario (testdata/demo/<moment>/, written by the real API server, KEDA and Karpenter). The
// Kubernetes API is answered by the test from those files (no cluster): direct mode (the server's API
// group is absent), a user refused Karpenter's kinds, hostile text in objects.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { answer, demoMoment, withQuery } from './demo-api.mjs';
import { CLUSTER, openBrowser, shotPath, startHeadlamp, status } from './headlamp.mjs';
import { eventually } from './poll.mjs';

let headlamp;
before(async () => {
  headlamp = await startHeadlamp();
});
after(() => headlamp?.stop());

const url = rest => `${headlamp.url}/c/${CLUSTER}${rest}`;

/** A moment of the demo scenario (lists by API path, as ./demo-api.mjs reads them). */
function moment(name) {
  return demoMoment(name);
}

/**
 * The demo API (./demo-api.mjs) with what these tests need on top: a GET of one object carries its kind
 * (items of a list do not), and `forbid` lists path prefixes answered 403 the way kube-apiserver refuses.
 */
function apiOf(m, { forbid = [] } = {}) {
  return (apiPath, request) => {
    if (forbid.some(p => apiPath.startsWith(p))) {
      return { status: 403, json: status(403, 'Forbidden', `${apiPath} is forbidden: User "bob" cannot list resource at the cluster scope`) };
    }
    const a = answer(m, withQuery(apiPath, request));
    if (a && a.status === 200 && a.json && a.json.metadata && !a.json.items && !a.json.kind) {
      const listPath = Object.keys(m.lists).find(k => apiPath.endsWith(`/${k.split('/').pop()}/${a.json.metadata.name}`));
      const list = listPath && m.lists[listPath];
      if (list) return { status: 200, json: { apiVersion: list.apiVersion, kind: String(list.kind).replace(/List$/, ''), ...a.json } };
    }
    return a;
  };
}

/** Waits until every mounted view has loaded (no loading panel, some text). */
async function settled(page) {
  await eventually('the plugin views to load', async () =>
    page.evaluate(() => {
      const hosts = [...document.querySelectorAll('.autoscaling-insights-host')];
      return hosts.length > 0 && hosts.every(h => h.innerText.trim().length > 0 && !h.querySelector('.ai-panel-loading'));
    })
  );
}

/** `2100m` → 2.1, `4` → 4. */
function cores(q) {
  return q.endsWith('m') ? Number(q.slice(0, -1)) / 1000 : Number(q);
}

/**
 * Headlamp's own detail pages, fed by this cluster-less API, log errors that are not ours: its permission
 * checks ask authorization.k8s.io versions the test does not answer, its watches need WebSockets, and its
 * AuthVisible reads its item's class before the item has loaded.
 */
const HEADLAMP_NOISE = [/Error while getting authorization for/, /Error in api stream/, /reading 'apiName'/];

async function withPage(api, fn, { theme = 'light', headlampPages = false } = {}) {
  const b = await openBrowser({ api, theme });
  try {
    await fn(b.page, b);
    const errors = headlampPages ? b.errors.filter(e => !HEADLAMP_NOISE.some(n => n.test(e))) : b.errors;
    assert.deepEqual(errors, [], 'no console or page errors');
  } finally {
    await b.close();
  }
}

test('NodePools: every pool with CPU in cores (1500m is 1.5) against its limit, and its page', async () => {
  const m = moment('blocked');
  const pools = m.lists['/apis/karpenter.sh/v1/nodepools'].items;
  await withPage(apiOf(m), async page => {
    await page.goto(url('/autoscaling/nodepools'));
    await settled(page);
    const rows = await page.locator('.ai-table tbody tr').allInnerTexts();
    assert.equal(rows.length, pools.length);
    for (const p of pools) {
      const row = rows.find(r => r.startsWith(p.metadata.name));
      assert.ok(row, `row of NodePool ${p.metadata.name}`);
      const used = cores(p.status.resources.cpu);
      const limit = p.spec.limits && p.spec.limits.cpu;
      const expected = limit ? `${used} / ${cores(limit)} cores` : `${used} cores`;
      assert.ok(row.includes(expected), `${p.metadata.name}: "${expected}" in ${JSON.stringify(row)}`);
    }
    await page.screenshot({ path: shotPath('nodepools-light') });

    const capped = pools.find(p => p.metadata.name === 'capped');
    await page.getByRole('link', { name: 'capped', exact: true }).first().click();
    await settled(page);
    const text = await page.locator('.autoscaling-insights-host').innerText();
    for (const c of capped.status.conditions) assert.ok(text.includes(c.type), `condition ${c.type}`);
    for (const r of capped.spec.template.spec.requirements) assert.ok(text.includes(r.key), `requirement ${r.key}`);
    for (const t of capped.spec.template.spec.taints || []) assert.ok(text.includes(t.key), `taint ${t.key}`);
    const members = m.lists['/apis/karpenter.sh/v1/nodeclaims'].items.filter(c => c.metadata.labels['karpenter.sh/nodepool'] === 'capped');
    const claimTable = page.locator('.ai-table[aria-label="NodeClaims of this NodePool"] tbody tr');
    assert.equal(await claimTable.count(), members.length, 'member NodeClaims');
    assert.ok(text.includes(capped.spec.disruption.consolidationPolicy), 'consolidation policy');
    await page.screenshot({ path: shotPath('nodepool-light'), fullPage: true });
  });
});

test("NodeClaim page: lifecycle with times, node link, and only this claim's events (by uid)", async () => {
  const m = moment('blocked');
  const claim = m.lists['/apis/karpenter.sh/v1/nodeclaims'].items[0];
  const own = m.lists['/api/v1/events'].items.filter(e => e.involvedObject.uid === claim.metadata.uid);
  const karpenterEvents = m.lists['/api/v1/events'].items.filter(e => (e.source && e.source.component) === 'karpenter');
  assert.ok(karpenterEvents.length > own.length, 'the capture has Karpenter events about other objects too');
  await withPage(apiOf(m), async (page, b) => {
    await page.goto(url(`/autoscaling/nodeclaims/${claim.metadata.name}`));
    await settled(page);
    const text = await page.locator('.autoscaling-insights-host').innerText();
    for (const step of ['Launched', 'Registered', 'Initialized']) assert.ok(text.includes(step), `step ${step}`);
    assert.equal(await page.locator('.ai-wf-row').count(), 4, 'Created → Launched → Registered → Initialized');
    assert.ok(text.includes(claim.status.nodeName), 'the node');
    const eventRows = page.locator('.ai-table[aria-label="Events"] tbody tr');
    assert.equal(await eventRows.count(), own.length, 'exactly the events about this NodeClaim');
    assert.ok(b.requests.some(r => r.includes('/events')), 'events were asked for');
    await page.screenshot({ path: shotPath('nodeclaim-light'), fullPage: true });
  });
});

test('Nodes: requests vs allocatable per node, pods, price, NodePool and NodeClaim, with totals', async () => {
  const m = moment('blocked');
  const nodes = m.lists['/api/v1/nodes'].items;
  await withPage(apiOf(m), async page => {
    await page.goto(url('/autoscaling/nodes'));
    await settled(page);
    assert.equal(await page.locator('.ai-table tbody tr').count(), nodes.length);
    const totals = await page.locator('.ai-totals').innerText();
    assert.ok(totals.includes(`${nodes.length} nodes`), totals);
    for (const n of nodes) {
      const row = page.locator('.ai-table tbody tr', { hasText: n.metadata.name });
      const t = await row.innerText();
      const pool = n.metadata.labels['karpenter.sh/nodepool'];
      if (pool) assert.ok(t.includes(pool), `NodePool of ${n.metadata.name}`);
      assert.ok(t.includes(`/ ${n.status.allocatable.pods}`), `pods n/max of ${n.metadata.name}`);
    }
    await page.screenshot({ path: shotPath('nodes-light'), fullPage: true });
  });
});

test('Pending: the blocked scale-out says wants N, has M and why (NodePool limit), pods grouped by ScaledObject', async () => {
  const m = moment('blocked');
  const pending = m.lists['/api/v1/pods'].items.filter(p => p.status.phase === 'Pending' && !p.metadata.deletionTimestamp);
  await withPage(apiOf(m), async page => {
    await page.goto(url('/autoscaling/pending'));
    await settled(page);
    const blocked = page.locator('.ai-table[aria-label="Scale-outs"] tbody tr', { hasText: 'web' });
    const text = await blocked.innerText();
    assert.ok(text.includes('Blocked'), text);
    assert.ok(text.includes('NodePool limit reached'), text);
    const podRows = page.locator('.ai-group .ai-table tbody tr');
    assert.equal(await podRows.count(), pending.length, 'every pending pod');
    const webGroup = page.locator('.ai-group', { hasText: 'ScaledObject/web' });
    const webPods = pending.filter(p => p.metadata.namespace === 'team-b' && p.metadata.name.startsWith('web-'));
    assert.equal(await webGroup.locator('tbody tr').count(), webPods.length, 'web pods grouped under its ScaledObject');
    await page.screenshot({ path: shotPath('pending-light'), fullPage: true });
  });
});

test('Chain: ScaledObject → workload → pods → NodeClaims → nodes → NodePools → NodeClasses, blocked said first', async () => {
  const m = moment('blocked');
  await withPage(apiOf(m), async page => {
    await page.goto(url('/autoscaling/chains/team-b/web'));
    await settled(page);
    const stages = await page.locator('.ai-stage-title').allInnerTexts();
    assert.deepEqual(
      stages.map(s => s.replace(/\s*\(\d+\)$/, '')),
      ['ScaledObject', 'Workload', 'Pods', 'NodeClaims', 'Nodes', 'NodePools', 'NodeClasses']
    );
    const banner = await page.locator('.ai-banner').innerText();
    assert.match(banner, /Scale-out blocked: wants \d+, \d+ ready, \d+ pending/);
    const pools = await page.locator('.ai-stage', { hasText: 'NodePools' }).innerText();
    assert.ok(pools.includes('capped'), pools);
    await page.screenshot({ path: shotPath('chain-light'), fullPage: true });
  });
});

test('NodeClasses: the KWOK NodeClass with its conditions', async () => {
  const m = moment('blocked');
  const cls = m.lists['/apis/karpenter.kwok.sh/v1alpha1/kwoknodeclasses'].items[0];
  await withPage(apiOf(m), async page => {
    await page.goto(url('/autoscaling/nodeclasses'));
    await settled(page);
    const row = await page.locator('.ai-table tbody tr', { hasText: cls.metadata.name }).innerText();
    assert.ok(row.includes('KWOKNodeClass') && row.includes('KWOK'), row);
    await page.getByRole('link', { name: cls.metadata.name, exact: true }).click();
    await settled(page);
    const text = await page.locator('.autoscaling-insights-host').innerText();
    for (const c of cls.status.conditions || []) assert.ok(text.includes(c.type), `condition ${c.type}`);
  });
});

test('a user refused Karpenter sees "No permission", never "not installed", and the rest still works', async () => {
  const m = moment('blocked');
  const api = apiOf(m, { forbid: ['/apis/karpenter.sh', '/apis/karpenter.kwok.sh'] });
  await withPage(api, async page => {
    await page.goto(url('/autoscaling/nodepools'));
    await settled(page);
    const panel = page.locator('.ai-panel-error');
    assert.equal(await panel.getAttribute('data-error'), 'forbidden');
    assert.ok((await panel.innerText()).includes('No permission'));
    assert.equal(await page.locator('[data-error="not-installed"]').count(), 0);

    await page.goto(url('/autoscaling/nodes'));
    await settled(page);
    assert.equal(await page.locator('.ai-table tbody tr').count(), m.lists['/api/v1/nodes'].items.length, 'nodes still listed');
    const gaps = await page.locator('[data-gap]').evaluateAll(els => els.map(e => e.dataset.gap));
    assert.ok(gaps.includes('forbidden'), `the missing NodeClaims are said: ${gaps}`);
    await page.screenshot({ path: shotPath('nodes-no-karpenter-light'), fullPage: true });

    await page.goto(url('/autoscaling/pending'));
    await settled(page);
    assert.ok((await page.locator('.ai-group').count()) > 0, 'pending pods are still grouped');
  });
});

test('hostile text in objects renders as text and runs nothing', async () => {
  const m = moment('blocked');
  const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';
  const pools = structuredClone(m.lists['/apis/karpenter.sh/v1/nodepools']);
  const p = pools.items[0];
  p.spec.template.spec.requirements.push({ key: 'example.com/evil', operator: 'In', values: [hostile] });
  p.spec.template.metadata = { labels: { 'example.com/label': hostile } };
  p.status.conditions[0].message = hostile;
  m.lists['/apis/karpenter.sh/v1/nodepools'] = pools;
  await withPage(apiOf(m), async page => {
    await page.goto(url(`/autoscaling/nodepools/${p.metadata.name}`));
    await settled(page);
    const text = await page.locator('.autoscaling-insights-host').innerText();
    assert.ok(text.includes(hostile), 'shown literally');
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.locator('.autoscaling-insights-host img, .autoscaling-insights-host script').count(), 0);
  });
});

test("Headlamp's own pages: the Deployment section names its ScaledObject; tables get Autoscaler, NodePool, $/h", async () => {
  const m = moment('blocked');
  await withPage(apiOf(m), async (page, b) => {
    await page.goto(url('/deployments/team-b/web'));
    const section = page.locator('.autoscaling-insights-host', { hasText: 'ScaledObject web' });
    await eventually('the Autoscaling section on the Deployment page', async () => (await section.count()) > 0);
    await settled(page);
    assert.ok((await section.innerText()).includes('Scale-out blocked'), 'the blocked scale-out is said on the page');
    await section.first().scrollIntoViewIfNeeded();
    await section.first().screenshot({ path: shotPath('section-deployment-light') });

    await page.goto(url('/deployments'));
    await eventually('the Autoscaler column', async () => (await page.getByText('KEDA: web', { exact: true }).count()) > 0);
    const before = b.requests.filter(r => r.startsWith('GET /apis/keda.sh/v1alpha1/scaledobjects')).length;
    assert.ok(before >= 1 && before <= 2, `one shared read of ScaledObjects for the whole table, not one per row (${before})`);
    await page.screenshot({ path: shotPath('column-deployments-light') });

    const node = m.lists['/api/v1/nodes'].items.find(n => n.metadata.labels['karpenter.sh/nodepool']);
    await page.goto(url('/nodes'));
    await eventually('the NodePool column', async () =>
      (await page.locator('table tbody tr', { hasText: node.metadata.name }).getByText(node.metadata.labels['karpenter.sh/nodepool'], { exact: true }).count()) > 0
    );
    await eventually('the $/h column', async () => (await page.locator('table tbody tr', { hasText: node.metadata.name }).getByText(/^\$\d+\.\d{3}\/h$/).count()) > 0);
    await page.screenshot({ path: shotPath('column-nodes-light') });

    await page.goto(url(`/nodes/${node.metadata.name}`));
    const nodeSection = page.locator('.autoscaling-insights-host', { hasText: 'NodeClaim' });
    await eventually('the Autoscaling section on the Node page', async () => (await nodeSection.count()) > 0);
    await settled(page);
    const t = await nodeSection.innerText();
    assert.ok(t.includes(node.metadata.labels['karpenter.sh/nodepool']) && t.includes(node.metadata.labels['karpenter.sh/capacity-type']), t);
    await nodeSection.first().scrollIntoViewIfNeeded();
    await nodeSection.first().screenshot({ path: shotPath('section-node-light') });
  }, { headlampPages: true });
});
