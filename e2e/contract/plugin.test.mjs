// Contract of the built plugin with Headlamp: main.js is listed by the backend, fetched as text and run by
// Headlamp's own loader (new Function, global pluginLib); it registers its sidebar entries and routes, the
// Yew view mounts and renders rows from the bridge's answer, says what failed and why (403 / 404 / no
// answer), unmounts leaving neither DOM nor globals behind, and remounts. Screenshots: e2e/out/contract/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { scaledObjects } from './fixtures.mjs';
import { CLUSTER, openBrowser, shotPath, startHeadlamp, status } from './headlamp.mjs';
import { eventually } from './poll.mjs';

const SO_PATH = '/apis/keda.sh/v1alpha1/scaledobjects';
const LIST_URL = `/c/${CLUSTER}/autoscaling/scaledobjects`;
const fixture = scaledObjects();
let headlamp;

before(async () => {
  headlamp = await startHeadlamp();
  console.log(`ScaledObjects from ${fixture.source}: ${fixture.items.map(o => o.metadata.name).join(', ')}`);
});
after(() => headlamp?.stop());

// Namespaces of the objects, so Headlamp's own Namespaces table has rows to compare our table with.
const namespaces = [...new Set(fixture.items.map(o => o.metadata.namespace).filter(Boolean))].map(name => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, uid: `uid-${name}`, resourceVersion: '1', creationTimestamp: '2025-01-01T00:00:00Z' },
  spec: { finalizers: ['kubernetes'] },
  status: { phase: 'Active' },
}));

const withObjects = (apiPath, request) => {
  if (apiPath === '/api/v1/namespaces' && namespaces.length > 0) {
    return { status: 200, json: { apiVersion: 'v1', kind: 'NamespaceList', metadata: { resourceVersion: '1' }, items: namespaces } };
  }
  return fixture.api(apiPath, request);
};

/** Computed styles of a page's title and first table, ours (`.ai-*`) or Headlamp's own. */
async function tableLook(page, ours) {
  return page.evaluate(ours => {
    const q = s => document.querySelector(s);
    const title = ours ? q('.ai-section-title') : q('main h1');
    const th = ours ? q('.ai-table th') : q('main table thead th');
    const td = ours ? q('.ai-table td') : q('main table tbody td');
    const table = ours ? q('.ai-table') : q('main table');
    const pick = (el, props) => Object.fromEntries(props.map(p => [p, getComputedStyle(el)[p]]));
    return {
      title: pick(title, ['fontFamily', 'fontSize', 'fontWeight', 'color']),
      th: pick(th, ['fontFamily', 'fontSize', 'fontWeight', 'lineHeight', 'color', 'backgroundColor', 'borderBottomColor']),
      td: pick(td, ['fontFamily', 'fontSize', 'fontWeight', 'color', 'borderBottomColor']),
      rowHeight: Math.round(td.getBoundingClientRect().height),
      table: pick(table, ['borderTopLeftRadius', 'borderTopColor']),
    };
  }, ours);
}

/** Our list looks like Headlamp's own resource list (its Namespaces page) in the current theme. */
async function assertNativeLook(page) {
  await routeTo(page, `/c/${CLUSTER}/namespaces`);
  await page.locator('main table tbody td').first().waitFor();
  const theirs = await tableLook(page, false);
  await routeTo(page, LIST_URL);
  await page.locator('.ai-table tbody tr').first().waitFor();
  const ours = await tableLook(page, true);
  assert.deepEqual(ours.title, theirs.title, 'page title');
  assert.deepEqual(ours.th, theirs.th, 'table header cells');
  assert.deepEqual(ours.td, theirs.td, 'table body cells');
  assert.ok(ours.rowHeight >= theirs.rowHeight, `row height ${ours.rowHeight} >= ${theirs.rowHeight}`);
  assert.equal(ours.table.borderTopLeftRadius, theirs.table.borderTopLeftRadius, 'table corner radius');
}

/** Navigates inside the single-page app the way React Router does (no reload). */
async function routeTo(page, url) {
  await page.evaluate(u => {
    window.history.pushState({}, '', u);
    window.dispatchEvent(new PopStateEvent('popstate', { state: {} }));
  }, url);
}

/** The theme as the page shows it: Headlamp's own body colour next to ours. */
async function themeColours(page) {
  return page.evaluate(() => ({
    mode: document.querySelector('.autoscaling-insights-host').dataset.theme,
    body: getComputedStyle(document.body).color,
    title: getComputedStyle(document.querySelector('.ai-section-title')).color,
    headerBg: getComputedStyle(document.querySelector('.ai-table th')).backgroundColor,
  }));
}

/** The detail page of `so` is rendered: its title, every trigger type, nothing still loading. */
async function detailShown(page, so) {
  await page.getByText(`ScaledObject: ${so.metadata.name}`).first().waitFor();
  for (const t of new Set((so.spec.triggers || []).map(t => t.type))) {
    await page.locator('.ai-root').getByText(t, { exact: true }).first().waitFor();
  }
  await eventually('the detail page to finish loading', async () => (await page.locator('.ai-panel-loading').count()) === 0);
}

async function rowsShown(page) {
  return page.locator('.ai-table tbody tr').count();
}

test('Headlamp runs main.js: sidebar group, routes, rows from the bridge, theme variables', async () => {
  const b = await openBrowser({ api: withObjects });
  try {
    const { page } = b;
    await page.goto(headlamp.url + LIST_URL);
    await page.locator('.ai-table tbody tr').first().waitFor();

    // Registered with Headlamp: the sidebar group and its entry, selected on this route.
    const sidebar = page.locator('nav, [role="navigation"], .MuiDrawer-root').first();
    await sidebar.getByText('Autoscaling', { exact: true }).first().waitFor();
    await sidebar.getByText('ScaledObjects', { exact: true }).first().waitFor();

    // One row per object, through the bridge: Headlamp's ApiProxy asked for the cluster-wide list.
    assert.equal(await rowsShown(page), fixture.items.length);
    assert.ok(b.requests.includes(`GET ${SO_PATH}`), `requests: ${b.requests.join(', ')}`);
    for (const so of fixture.items) {
      await page.locator('.ai-table').getByText(so.metadata.name, { exact: true }).waitFor();
    }
    const headers = await page.locator('.ai-table thead th').allInnerTexts();
    for (const h of ['Name', 'Namespace', 'Target', 'Min', 'Max', 'Triggers', 'Ready', 'Active', 'Paused', 'Age']) {
      assert.ok(headers.some(t => t.trim() === h), `column ${h} in ${headers}`);
    }
    // A target written without kind/apiVersion shows KEDA's default (apps/v1 Deployment).
    const sample = fixture.items.find(o => !o.spec?.scaleTargetRef?.kind);
    if (sample) {
      const row = page.locator('.ai-table tbody tr', { hasText: sample.metadata.name });
      await row.getByText(`Deployment/${sample.spec.scaleTargetRef.name}`).waitFor();
    }

    // Colours come from Headlamp's theme: the title has the colour Headlamp's CssBaseline gives the page.
    const colours = await themeColours(page);
    assert.equal(colours.mode, 'light');
    assert.equal(colours.title, colours.body);
    await page.screenshot({ path: shotPath('scaledobjects-light'), fullPage: true, animations: 'disabled' });
    await assertNativeLook(page);

    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test('dark theme: the view follows Headlamp', async () => {
  const b = await openBrowser({ theme: 'dark', api: withObjects });
  try {
    const { page } = b;
    await page.goto(headlamp.url + LIST_URL);
    await page.locator('.ai-table tbody tr').first().waitFor();
    const colours = await themeColours(page);
    assert.equal(colours.mode, 'dark');
    assert.equal(colours.title, colours.body);
    assert.notEqual(colours.body, 'rgba(0, 0, 0, 0.87)', 'dark text is not the light theme text');
    await page.screenshot({ path: shotPath('scaledobjects-dark'), fullPage: true, animations: 'disabled' });
    await assertNativeLook(page);

    const so = fixture.items.find(o => o.status) ?? fixture.items[0];
    await page.locator('.ai-table').getByRole('link', { name: so.metadata.name, exact: true }).click();
    await detailShown(page, so);
    await page.screenshot({ path: shotPath('scaledobject-detail-dark'), fullPage: true, animations: 'disabled' });
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test('detail route, unmount without leftovers, remount', async () => {
  const b = await openBrowser({ api: withObjects });
  try {
    const { page } = b;
    await page.goto(headlamp.url + `/c/${CLUSTER}/`);
    // Nothing of ours is mounted yet: this is the baseline of window globals.
    await page.locator('text=Autoscaling').first().waitFor();
    const baseline = await page.evaluate(() => Object.keys(window));

    await routeTo(page, LIST_URL);
    await page.locator('.ai-table tbody tr').first().waitFor();

    // A link in the list goes to the object's own route (a URL per view).
    const so = fixture.items[0];
    await page.locator('.ai-table').getByRole('link', { name: so.metadata.name, exact: true }).click();
    await detailShown(page, so);
    assert.ok(page.url().endsWith(`/c/${CLUSTER}/autoscaling/scaledobjects/${so.metadata.namespace}/${so.metadata.name}`), page.url());
    await page.screenshot({ path: shotPath('scaledobject-detail-light'), fullPage: true, animations: 'disabled' });

    // Leave for a page of Headlamp's own: nothing of ours stays behind.
    await routeTo(page, `/c/${CLUSTER}/settings`);
    await eventually('the view to unmount', async () => (await page.locator('.autoscaling-insights-host').count()) === 0);
    const leftovers = await page.evaluate(() => ({
      roots: document.querySelectorAll('.ai-root').length,
      styles: [...document.querySelectorAll('style')].filter(s => s.textContent.includes('.ai-root')).length,
      globals: Object.keys(window),
    }));
    assert.equal(leftovers.roots, 0);
    assert.equal(leftovers.styles, 0);
    const added = leftovers.globals.filter(k => !baseline.includes(k));
    assert.deepEqual(added, [], 'no new window globals after mount + unmount');

    // Back again: it mounts again and shows the rows.
    await page.goBack();
    await detailShown(page, so);
    await routeTo(page, LIST_URL);
    await eventually('rows after remount', async () => (await rowsShown(page)) === fixture.items.length);
    assert.equal(await page.locator('.ai-root').count(), 1, 'exactly one mounted view');
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test('leaving before the wasm has loaded mounts nothing', async () => {
  const b = await openBrowser({ api: withObjects });
  try {
    const { page } = b;
    await page.goto(headlamp.url + `/c/${CLUSTER}/`);
    await page.locator('text=Autoscaling').first().waitFor();
    // Enter and leave in one task: the host unmounts while the wasm is still being decoded.
    await page.evaluate(({ list, away }) => {
      for (const u of [list, away]) {
        window.history.pushState({}, '', u);
        window.dispatchEvent(new PopStateEvent('popstate', { state: {} }));
      }
    }, { list: LIST_URL, away: `/c/${CLUSTER}/settings` });
    // Coming back mounts once the wasm is ready; the cancelled mount left nothing anywhere.
    await routeTo(page, LIST_URL);
    await page.locator('.ai-table tbody tr').first().waitFor();
    assert.equal(await page.locator('.ai-root').count(), 1);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test("Headlamp's namespace filter scopes the list", async () => {
  const shown = fixture.items.find(o => o.metadata.namespace);
  const b = await openBrowser({ api: withObjects, namespaces: [shown.metadata.namespace] });
  try {
    const { page } = b;
    await page.goto(headlamp.url + LIST_URL);
    await page.locator('.ai-scope').waitFor();
    const expected = fixture.items.filter(o => o.metadata.namespace === shown.metadata.namespace).length;
    assert.ok(expected < fixture.items.length, 'the fixture has objects outside the selected namespace');
    await eventually('only the selected namespace', async () => (await rowsShown(page)) === expected);
    assert.match(await page.locator('.ai-scope').innerText(), new RegExp(shown.metadata.namespace));
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

const failures = [
  {
    name: '403 says no permission',
    answer: { status: 403, json: status(403, 'Forbidden', 'scaledobjects.keda.sh is forbidden: User "bob" cannot list resource "scaledobjects" in API group "keda.sh" at the cluster scope') },
    kind: 'forbidden',
    text: /No permission[\s\S]*User "bob" cannot list resource "scaledobjects"/,
    // The bridge hands over the API server's message, not Headlamp's "Forbidden - " prefix.
    not: /Forbidden - /,
  },
  {
    name: '404 of the group says KEDA is not installed',
    answer: { status: 404, json: status(404, 'NotFound', 'the server could not find the requested resource') },
    kind: 'not-installed',
    text: /Not installed[\s\S]*KEDA is not installed[\s\S]*keda\.sh\/v1alpha1/,
  },
  {
    name: 'no answer says the cluster is not reachable',
    answer: 'no-answer',
    kind: 'failed',
    text: /Cluster not reachable/,
  },
];

for (const f of failures) {
  test(`error panel: ${f.name}`, async () => {
    const b = await openBrowser({ api: apiPath => (apiPath === SO_PATH ? f.answer : null) });
    try {
      const { page } = b;
      await page.goto(headlamp.url + LIST_URL);
      const panel = page.locator('.ai-panel-error');
      await panel.waitFor();
      assert.equal(await panel.getAttribute('data-error'), f.kind);
      const text = await panel.innerText();
      assert.match(text, f.text);
      if (f.not) assert.doesNotMatch(text, f.not);
      await page.screenshot({ path: shotPath(`error-${f.kind}`) });
    } finally {
      await b.close();
    }
  });
}
