// ScaledObjects pages: list and detail show what the API server has, with Headlamp's look in both themes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withSession } from './lib/browser.mjs';
import { clusterPath } from './lib/context.mjs';
import { setTheme, tableRows, waitForPlugin } from './lib/headlamp.mjs';
import { list } from './lib/kube.mjs';
import { eventually } from './lib/poll.mjs';

const LIST = '/autoscaling/scaledobjects';

async function listedNames(session) {
  const rows = await tableRows(session);
  return rows.filter(cells => cells.length > 1).map(cells => `${cells[1]}/${cells[0]}`).sort();
}

test('the list shows every ScaledObject the API server has', async () => {
  const objects = await list('scaledobjects.keda.sh');
  assert.ok(objects.length > 0, 'the demo scenario has ScaledObjects');
  const expected = objects.map(o => `${o.metadata.namespace}/${o.metadata.name}`).sort();

  await withSession({ name: 'scaledobjects-list' }, async session => {
    await session.goto(clusterPath(LIST));
    await waitForPlugin(session);
    const names = await eventually(`the table to list ${expected.length} ScaledObjects`, async () => {
      const n = await listedNames(session);
      return n.length === expected.length ? n : false;
    });
    assert.deepEqual(names, expected);

    const headers = await session.page.locator('table thead th').allTextContents();
    for (const h of ['Name', 'Namespace', 'Target', 'Min', 'Max', 'Triggers', 'Ready', 'Active', 'Paused', 'Age']) {
      assert.ok(headers.some(t => t.trim().startsWith(h)), `column ${h} in ${JSON.stringify(headers)}`);
    }
    // Targets as KEDA has them (kind/name of scaleTargetRef).
    const rows = await tableRows(session);
    for (const o of objects) {
      const row = rows.find(c => c[0] === o.metadata.name && c[1] === o.metadata.namespace);
      assert.ok(row, `row of ${o.metadata.namespace}/${o.metadata.name}`);
      assert.ok(row[2].includes(o.spec.scaleTargetRef.name), `target ${o.spec.scaleTargetRef.name} in ${row[2]}`);
    }
    await session.screenshot('scaledobjects-list-light');
    await setTheme(session, 'dark');
    await session.screenshot('scaledobjects-list-dark');
    assert.deepEqual(session.problems, []);
  });
});

test('the detail page shows the ScaledObject, its triggers and conditions', async () => {
  const [so] = (await list('scaledobjects.keda.sh')).sort((a, b) =>
    `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`)
  );
  await withSession({ name: 'scaledobject-detail' }, async session => {
    await session.goto(clusterPath(LIST));
    await waitForPlugin(session);
    const link = session.page.locator('table tbody tr', { hasText: so.metadata.namespace }).getByRole('link', { name: so.metadata.name, exact: true });
    await link.first().click();
    await eventually('the detail page', async () =>
      session.page.getByText(`ScaledObject: ${so.metadata.name}`).first().isVisible()
    );
    assert.match(session.page.url(), new RegExp(`${LIST}/${so.metadata.namespace}/${so.metadata.name}$`));
    // The page's sections load on their own: wait until all of them are in.
    const wanted = [
      so.spec.scaleTargetRef.name,
      ...so.spec.triggers.map(t => t.type),
      ...(so.status?.conditions ?? []).map(c => c.type),
    ];
    const text = await eventually(`the target, trigger types and conditions (${wanted.join(', ')})`, async () => {
      const t = await session.page.locator('.autoscaling-insights-host').innerText();
      return wanted.every(w => t.includes(w)) ? t : false;
    });
    assert.ok(text.includes(so.spec.scaleTargetRef.name), 'the target is shown');
    await session.screenshot('scaledobject-detail-light');
    await setTheme(session, 'dark');
    await session.screenshot('scaledobject-detail-dark');
    assert.deepEqual(session.problems, []);
  });
});
