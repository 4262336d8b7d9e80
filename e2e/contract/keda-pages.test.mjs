// The KEDA pages of the built plugin inside Headlamp's own frontend code, on the demo cluster as captured
// (testdata/demo/, real objects) and on real Prometheus answers (frontend/tests/fixtures/): every list and
// detail renders what the capture holds, in light and dark, with no page errors; the chart draws every
// series with the thresholds; without Prometheus the chart area says why. Screenshots of each page in both
// themes: e2e/out/contract/<page>-<light|dark>.png.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { answer, demoMoment, withQuery } from './demo-api.mjs';
import { CLUSTER, fullScreenshot, openBrowser, repo, shotPath, startHeadlamp } from './headlamp.mjs';
import { eventually } from './poll.mjs';

let headlamp;
before(async () => {
  headlamp = await startHeadlamp();
});
after(() => headlamp?.stop());

const fixture = name => fs.readFileSync(path.join(repo, 'frontend', 'tests', 'fixtures', name), 'utf8');

/** A captured Prometheus answer moved in time so its last sample is now (values unchanged). */
function rebased(body) {
  const j = JSON.parse(body);
  const last = Math.max(...j.data.result.flatMap(r => r.values.map(v => v[0])));
  const shift = Math.floor(Date.now() / 1000) - last;
  for (const r of j.data.result) r.values = r.values.map(([t, v]) => [t + shift, v]);
  return j;
}

/** Prometheus found by auto-detection (a labelled service) and answering through the service proxy. */
function withPrometheus(demo, seen = []) {
  const service = {
    kind: 'ServiceList',
    apiVersion: 'v1',
    metadata: {},
    items: [{ metadata: { name: 'prometheus', namespace: 'monitoring', labels: { 'headlamp-prometheus': 'true' } }, spec: { ports: [{ name: 'web', port: 9090 }] } }],
  };
  return (path, request) => {
    const p = withQuery(path, request);
    seen.push(p);
    if (p.startsWith('/api/v1/services?')) return { status: 200, json: service };
    if (p.startsWith('/api/v1/namespaces/monitoring/services/prometheus:9090/proxy/api/v1/query_range')) {
      const q = decodeURIComponent(p);
      const body = q.includes('keda_scaler_metrics_value') ? fixture('prometheus-orders-metric.json') : fixture('prometheus-orders-replicas.json');
      return { status: 200, json: rebased(body) };
    }
    return answer(demo, p);
  };
}

const PAGES = [
  { page: 'scaledobjects', url: 'autoscaling/scaledobjects', moment: 'idle', ready: '.ai-table tbody tr td a', expect: ['orders', 'payments', 'StatefulSet/reports', 'At zero'] },
  { page: 'scaledobject', url: 'autoscaling/scaledobjects/team-a/orders', moment: 'scaling-out', prometheus: true, ready: '.ai-chart-svg', expect: ['orders-queue', 'target 10 per replica', 'keda-hpa-orders', 'Scaling settings', 'Events'] },
  { page: 'scaledjobs', url: 'autoscaling/scaledjobs', moment: 'idle', ready: '.ai-table tbody tr td a', expect: ['thumbnails', 'Running jobs'] },
  { page: 'scaledjob', url: 'autoscaling/scaledjobs/team-c/thumbnails', moment: 'idle', ready: 'table[aria-label=Jobs] tbody tr', expect: ['Job settings', 'Completions', '1/1', 'ClusterTriggerAuthentication/shared-redis'] },
  { page: 'triggerauthentications', url: 'autoscaling/triggerauthentications', moment: 'idle', ready: '.ai-table tbody tr td a', expect: ['redis-auth', 'shared-redis'] },
  { page: 'triggerauthentication', url: 'autoscaling/triggerauthentications/team-a/redis-auth', moment: 'idle', ready: 'table[aria-label=Secrets] tbody tr', expect: ['Secrets', 'redis-auth'] },
  { page: 'clustertriggerauthentication', url: 'autoscaling/clustertriggerauthentications/shared-redis', moment: 'idle', ready: '[data-testid=triggerauthentication-detail]', expect: ['ClusterTriggerAuthentication', "KEDA's namespace"] },
  { page: 'cloudeventsources', url: 'autoscaling/cloudeventsources', moment: 'idle', ready: '.ai-table tbody tr td a', expect: ['team-a-events', 'HTTP'] },
  { page: 'cloudeventsource', url: 'autoscaling/cloudeventsources/team-a/team-a-events', moment: 'idle', ready: '[data-testid=cloudeventsource-detail]', expect: ['Destination', 'Included event types'] },
];

for (const p of PAGES) {
  test(`${p.page}: renders the capture in light and dark`, async () => {
    const demo = demoMoment(p.moment);
    const api = p.prometheus ? withPrometheus(demo) : (path, r) => answer(demo, withQuery(path, r));
    for (const theme of ['light', 'dark']) {
      const b = await openBrowser({ theme, api });
      try {
        await b.page.goto(`${headlamp.url}/c/${CLUSTER}/${p.url}`);
        await b.page.locator(p.ready).first().waitFor();
        const text = await eventually(`${p.page} to show ${p.expect.join(', ')}`, async () => {
          const t = await b.page.locator('.autoscaling-insights-host').innerText();
          return p.expect.every(e => t.includes(e)) ? t : false;
        });
        assert.ok(text.length > 0);
        assert.equal(await b.page.locator('.autoscaling-insights-host').getAttribute('data-theme'), theme);
        // Let loading panels of secondary sections settle before the picture.
        await eventually('sections loaded', async () => (await b.page.locator('.ai-panel-loading').count()) === 0);
        await fullScreenshot(b.page, shotPath(`${p.page}-${theme}`));
        assert.deepEqual(b.errors, [], 'no console or page errors');
        assert.ok(!b.requests.some(r => r.includes('/secrets')), 'no Secret is ever read');
      } finally {
        await b.close();
      }
    }
  });
}

test('the chart draws every series, target × replicas and activation, with replicas beneath', async () => {
  const demo = demoMoment('scaling-out');
  const seen = [];
  const b = await openBrowser({ theme: 'light', api: withPrometheus(demo, seen) });
  try {
    await b.page.goto(`${headlamp.url}/c/${CLUSTER}/autoscaling/scaledobjects/team-a/orders`);
    await eventually('two charts', async () => (await b.page.locator('.ai-chart-svg').count()) === 2);
    const metric = b.page.locator('.ai-chart-svg').first();
    assert.equal(await metric.locator('path.ai-chart-line').count(), 2, 'the series and target × replicas');
    assert.equal(await metric.locator('line.ai-chart-rule').count(), 1, 'the activation threshold');
    const replicas = b.page.locator('.ai-chart-svg').nth(1);
    assert.equal(await replicas.locator('path.ai-chart-line').count(), 2, 'current and desired');
    // Every stroke is a theme variable.
    const strokes = await b.page.locator('.ai-chart-svg path.ai-chart-line').evaluateAll(ps => ps.map(p => p.getAttribute('stroke')));
    assert.ok(strokes.every(s => s.startsWith('var(--ai-')), strokes.join(' '));
    // Hovering shows the values at that time.
    await metric.scrollIntoViewIfNeeded();
    const box = await metric.boundingBox();
    await b.page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.4);
    await eventually('the cursor', async () => (await b.page.locator('.ai-chart-cursor').count()) > 0);
    assert.match(await b.page.locator('.ai-legend-at').first().innerText(), /^at \d\d:\d\d:\d\d$/);
    // Auto-detection looked for a labelled Prometheus service; the proxy was asked for both queries.
    assert.ok(seen.some(r => decodeURIComponent(r).includes('/api/v1/services?labelSelector=headlamp-prometheus=true')), seen.join('\n'));
    assert.ok(seen.some(r => decodeURIComponent(r).includes('query=keda_scaler_metrics_value{exported_namespace="team-a"')));
    await b.page.locator('.ai-history').screenshot({ path: shotPath('scaledobject-chart-light') });
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test('without Prometheus the chart area says why', async () => {
  const demo = demoMoment('idle');
  const b = await openBrowser({ theme: 'light', api: (p, r) => answer(demo, withQuery(p, r)) });
  try {
    await b.page.goto(`${headlamp.url}/c/${CLUSTER}/autoscaling/scaledobjects/team-a/orders`);
    const why = b.page.locator('[data-testid=chart-unavailable]');
    await why.waitFor();
    assert.match(await why.innerText(), /Charts need Prometheus: no Prometheus service was found/);
  } finally {
    await b.close();
  }
});
