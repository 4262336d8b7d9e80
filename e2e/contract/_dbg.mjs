import fs from 'node:fs';
import path from 'node:path';
import { answer, demoMoment, withQuery } from './demo-api.mjs';
import { CLUSTER, openBrowser, repo, startHeadlamp } from './headlamp.mjs';
const fixture = name => fs.readFileSync(path.join(repo, 'frontend', 'tests', 'fixtures', name), 'utf8');
const demo = demoMoment(process.env.MOMENT || 'scaling-out');
const service = { kind: 'ServiceList', apiVersion: 'v1', metadata: {}, items: [{ metadata: { name: 'prometheus', namespace: 'monitoring' }, spec: { ports: [{ name: 'web', port: 9090 }] } }] };
const api = (path, r) => {
  const p = withQuery(path, r);
  if (p.startsWith('/api/v1/services?')) return { status: 200, json: service };
  if (p.startsWith('/api/v1/namespaces/monitoring/services/prometheus:9090/proxy/api/v1/query_range')) {
    const q = decodeURIComponent(p);
    return { status: 200, json: JSON.parse(q.includes('keda_scaler_metrics_value') ? fixture('prometheus-orders-metric.json') : fixture('prometheus-orders-replicas.json')) };
  }
  return answer(demo, p);
};
const h = await startHeadlamp();
const b = await openBrowser({ theme: process.env.THEME || 'light', api });
try {
  await b.page.goto(`${h.url}/c/${CLUSTER}/${process.env.URL || 'autoscaling/scaledobjects/team-a/orders'}`);
  await new Promise(r => setTimeout(r, Number(process.env.WAIT || 15000)));
  console.log((await b.page.locator('.autoscaling-insights-host').innerText()).slice(0, Number(process.env.CHARS || 3000)));
  console.log('REQUESTS', b.requests.filter(r => !r.includes('selfsubject')).join('\n'));
  console.log('ERRORS', b.errors);
  const vp = b.page.viewportSize();
  const overflow = await b.page.evaluate(() => { const m = document.querySelector('main'); return m ? m.scrollHeight - m.clientHeight : 0; });
  if (overflow > 0) await b.page.setViewportSize({ width: vp.width, height: Math.min(vp.height + overflow, 6000) });
  await b.page.screenshot({ path: process.env.SHOT || '/tmp/dbg/shot.png', fullPage: true });
} finally { await b.close(); h.stop(); }
