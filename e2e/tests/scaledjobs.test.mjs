// ScaledJobs pages on the live demo cluster: the list has every ScaledJob the API server has; the page of
// one shows its triggers and the Jobs it created with succeeded/completions (not parallelism).
// pages: autoscaling-scaledjobs, autoscaling-scaledjob
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withSession } from './lib/browser.mjs';
import { clusterPath } from './lib/context.mjs';
import { setTheme, tableRows, waitForPlugin } from './lib/headlamp.mjs';
import { list } from './lib/kube.mjs';
import { eventually } from './lib/poll.mjs';

test('the ScaledJobs list and the page of one', async () => {
  const jobs = await list('scaledjobs.keda.sh');
  assert.ok(jobs.length > 0, 'the demo scenario has a ScaledJob');
  const expected = jobs.map(o => `${o.metadata.namespace}/${o.metadata.name}`).sort();
  await withSession({ name: 'scaledjobs' }, async session => {
    await session.goto(clusterPath('/autoscaling/scaledjobs'));
    await waitForPlugin(session);
    const names = await eventually(`${expected.length} ScaledJob rows`, async () => {
      const rows = (await tableRows(session)).filter(c => c.length > 1).map(c => `${c[1]}/${c[0]}`).sort();
      return rows.length === expected.length ? rows : false;
    });
    assert.deepEqual(names, expected);
    await session.screenshot('scaledjobs-light');

    const sj = jobs[0];
    await session.page.getByRole('link', { name: sj.metadata.name, exact: true }).first().click();
    await eventually('the ScaledJob page', () => session.page.getByText(`ScaledJob: ${sj.metadata.name}`).first().isVisible());
    const owned = (await list('jobs.batch', { namespace: sj.metadata.namespace })).filter(
      j => j.metadata.labels?.['scaledjob.keda.sh/name'] === sj.metadata.name
    );
    const text = await eventually('triggers and jobs', async () => {
      const t = await session.page.locator('.autoscaling-insights-host').innerText();
      return t.includes('Triggers') && t.includes('Jobs (') ? t : false;
    });
    for (const trigger of sj.spec.triggers) assert.ok(text.includes(trigger.type), `trigger ${trigger.type}`);
    // Completions as Kubernetes counts them: succeeded / completions.
    for (const j of owned.filter(j => j.status?.succeeded)) {
      assert.ok(text.includes(`${j.status.succeeded}/${j.spec.completions ?? 1}`), `completions of ${j.metadata.name}`);
    }
    await session.screenshot('scaledjob-light');
    await setTheme(session, 'dark');
    await session.screenshot('scaledjob-dark');
    assert.deepEqual(session.problems, []);
  });
});
