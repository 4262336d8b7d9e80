// TriggerAuthentications and ClusterTriggerAuthentications on the live demo cluster: both are listed; the
// page of one names (and links) its Secrets without ever reading a Secret.
// pages: autoscaling-triggerauthentications, autoscaling-triggerauthentication, autoscaling-clustertriggerauthentication
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withSession } from './lib/browser.mjs';
import { clusterPath } from './lib/context.mjs';
import { setTheme, waitForPlugin } from './lib/headlamp.mjs';
import { list } from './lib/kube.mjs';
import { eventually } from './lib/poll.mjs';

test('authentications are listed and their secrets named, never read', async () => {
  const tas = await list('triggerauthentications.keda.sh');
  const ctas = await list('clustertriggerauthentications.keda.sh');
  assert.ok(tas.length > 0 && ctas.length > 0, 'the demo scenario has both kinds');
  await withSession({ name: 'triggerauthentications' }, async session => {
    const secretReads = [];
    session.page.on('request', r => {
      if (/\/api\/v1\/(namespaces\/[^/]+\/)?secrets/.test(new URL(r.url()).pathname)) secretReads.push(r.url());
    });
    await session.goto(clusterPath('/autoscaling/triggerauthentications'));
    await waitForPlugin(session);
    await eventually('every authentication listed', async () => {
      const t = await session.page.locator('.autoscaling-insights-host').innerText();
      return [...tas, ...ctas].every(o => t.includes(o.metadata.name));
    });
    await session.screenshot('triggerauthentications-light');

    const ta = tas[0];
    await session.page.getByRole('link', { name: ta.metadata.name, exact: true }).first().click();
    await eventually('the TriggerAuthentication page', () =>
      session.page.getByText(`TriggerAuthentication: ${ta.metadata.name}`).first().isVisible()
    );
    for (const ref of ta.spec.secretTargetRef ?? []) {
      const link = session.page.locator('table[aria-label=Secrets]').getByRole('link', { name: ref.name });
      await link.first().waitFor();
      assert.match(await link.first().getAttribute('href'), /secrets/);
    }
    await session.screenshot('triggerauthentication-light');
    await setTheme(session, 'dark');
    await session.screenshot('triggerauthentication-dark');

    const cta = ctas[0];
    await session.goto(clusterPath(`/autoscaling/clustertriggerauthentications/${cta.metadata.name}`));
    await eventually('the ClusterTriggerAuthentication page', () =>
      session.page.getByText(`ClusterTriggerAuthentication: ${cta.metadata.name}`).first().isVisible()
    );
    const text = await session.page.locator('.autoscaling-insights-host').innerText();
    for (const ref of cta.spec.secretTargetRef ?? []) assert.ok(text.includes(ref.name), `secret ${ref.name} is named`);
    assert.deepEqual(secretReads, [], 'the plugin never reads a Secret');
    assert.deepEqual(session.problems, []);
  });
});
