import { openBrowser, startHeadlamp, CLUSTER } from '/work/main/e2e/contract/headlamp.mjs';
const theme = process.argv[2] || 'light';
const hl = await startHeadlamp();
const ns = n => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n, uid: n, creationTimestamp: '2025-01-01T00:00:00Z', resourceVersion: '1' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
const b = await openBrowser({ theme, api: p => p.startsWith('/api/v1/namespaces') ? { status: 200, json: { apiVersion: 'v1', kind: 'NamespaceList', metadata: { resourceVersion: '1' }, items: [ns('default'), ns('team-a'), ns('kube-system')] } } : null });
await b.page.goto(hl.url + `/c/${CLUSTER}/namespaces`);
await b.page.getByText('team-a').first().waitFor();
await b.page.screenshot({ path: `/tmp/hl-namespaces-${theme}.png` });
const m = await b.page.evaluate(() => {
  const pick = (el, props) => el ? Object.fromEntries(props.map(p => [p, getComputedStyle(el)[p]])) : null;
  const th = document.querySelector('thead th, [role="columnheader"]');
  const td = document.querySelector('tbody td, [role="cell"]');
  const h = document.querySelector('h1, h2');
  const table = document.querySelector('table');
  return {
    th: pick(th, ['fontSize', 'fontWeight', 'lineHeight', 'padding', 'backgroundColor', 'color', 'height', 'borderBottom', 'fontFamily']),
    td: pick(td, ['fontSize', 'fontWeight', 'lineHeight', 'padding', 'backgroundColor', 'color', 'height', 'borderBottom']),
    title: pick(h, ['fontSize', 'fontWeight', 'lineHeight', 'margin', 'padding', 'color']), titleTag: h?.tagName, titleText: h?.textContent,
    table: pick(table, ['border', 'borderRadius', 'backgroundColor']),
    trHeight: document.querySelector('tbody tr')?.getBoundingClientRect().height,
    headTrHeight: document.querySelector('thead tr')?.getBoundingClientRect().height,
    titleBox: h?.getBoundingClientRect(), tableBox: table?.getBoundingClientRect(),
  };
});
console.log(JSON.stringify(m, null, 1));
await b.close(); hl.stop();
