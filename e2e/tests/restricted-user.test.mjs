// A restricted user, logged in with a token the way Headlamp's web UI does it, sees the ScaledObjects of
// the namespaces Kubernetes lets them list — no more, no fewer — and is offered no action RBAC denies.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withSession } from './lib/browser.mjs';
import { clusterPath, context } from './lib/context.mjs';
import { loginWithToken, tableRows, waitForPlugin } from './lib/headlamp.mjs';
import { canI, list } from './lib/kube.mjs';
import { eventually } from './lib/poll.mjs';

const users = Object.entries(context.users);

test('the run has restricted token users', () => {
  assert.ok(users.length > 0, `users with tokens in the context: ${JSON.stringify(Object.keys(context.users))}`);
});

for (const [name, user] of users) {
  test(`${name} sees exactly the ScaledObjects of the namespaces they may list`, async () => {
    const all = await list('scaledobjects.keda.sh');
    const namespaces = [...new Set(all.map(o => o.metadata.namespace))];
    const allowed = new Set();
    for (const ns of namespaces) {
      if (await canI('list', 'scaledobjects.keda.sh', { namespace: ns, user: name })) allowed.add(ns);
    }
    const expected = all
      .filter(o => allowed.has(o.metadata.namespace))
      .map(o => `${o.metadata.namespace}/${o.metadata.name}`)
      .sort();

    await withSession({ name: `restricted-${name}` }, async session => {
      await loginWithToken(session, user.token);
      await session.goto(clusterPath('/autoscaling/scaledobjects', context.tokenCluster));
      await waitForPlugin(session);
      const host = session.page.locator('.autoscaling-insights-host');
      const shown = await eventually(`${name}'s list (${expected.length} ScaledObjects) or an explanation`, async () => {
        const rows = (await tableRows(session, host)).filter(c => c.length > 1);
        if (rows.length === expected.length && rows.length > 0) return rows;
        if (expected.length === 0 && (await host.getByText(/permission|forbidden|not allowed/i).count()) > 0) return [];
        return false;
      });
      assert.deepEqual(shown.map(c => `${c[1]}/${c[0]}`).sort(), expected);
      await session.screenshot(`restricted-${name}-scaledobjects`);
      assert.deepEqual(session.problems, []);
    });
  });
}
