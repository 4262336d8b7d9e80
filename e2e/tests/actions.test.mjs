// Pause / resume of a ScaledObject from its page: the action changes the object in the API server (KEDA's
// `autoscaling.keda.sh/paused` annotation) and the page shows the new state. Actions are offered only to users
// RBAC allows: alice (edit in team-a) gets them there, bob (read-only) never does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withSession } from './lib/browser.mjs';
import { clusterPath, context } from './lib/context.mjs';
import { loginWithToken, waitForPlugin } from './lib/headlamp.mjs';
import { canI, get, kubectl, list } from './lib/kube.mjs';
import { eventually } from './lib/poll.mjs';

const PAUSED = 'autoscaling.keda.sh/paused';
const PAUSE = /^Pause\b/;
const RESUME = /^Resume\b/;

function isPaused(so) {
  const a = so.metadata.annotations ?? {};
  return a[PAUSED] === 'true' || a['autoscaling.keda.sh/paused-replicas'] !== undefined;
}

/** A ScaledObject in team-a that is not paused (the demo pauses one of them on purpose). */
async function unpausedInTeamA() {
  const so = (await list('scaledobjects.keda.sh', { namespace: 'team-a' })).find(o => !isPaused(o));
  assert.ok(so, 'the demo has an unpaused ScaledObject in team-a');
  return so;
}

async function openDetail(session, so, cluster = context.cluster) {
  await session.goto(clusterPath(`/autoscaling/scaledobjects/${so.metadata.namespace}/${so.metadata.name}`, cluster));
  await waitForPlugin(session);
  const host = session.page.locator('.autoscaling-insights-host');
  await eventually('the ScaledObject page', async () => (await host.getByText(`ScaledObject: ${so.metadata.name}`).count()) > 0);
  // The page checks RBAC (SelfSubjectAccessReview) before it shows actions: let it settle.
  await eventually('the page to settle', async () => (await host.locator('.ai-panel-loading').count()) === 0);
  return host;
}

/** Whether the served plugin has the action at all (as admin, who may do everything): asked once. */
let featureAsked;
function pauseFeature() {
  featureAsked ??= (async () => {
    const so = await unpausedInTeamA();
    return withSession({ name: 'actions-feature' }, async session => {
      const host = await openDetail(session, so);
      return (await host.getByRole('button', { name: PAUSE }).count()) > 0;
    });
  })();
  return featureAsked;
}

/** Clicks a button and, if the plugin asks to confirm, confirms. */
async function act(session, host, name) {
  await host.getByRole('button', { name }).first().click();
  const dialog = session.page.getByRole('dialog');
  if (await dialog.count()) {
    await dialog.getByRole('button', { name: /^(Pause|Resume|Confirm|Yes|OK)\b/ }).first().click();
  }
}

test('pause and resume change the ScaledObject in the API server and the page shows it', async t => {
  const so = await unpausedInTeamA();
  const ref = ['scaledobjects.keda.sh', so.metadata.name, { namespace: so.metadata.namespace }];
  await withSession({ name: 'actions-admin' }, async session => {
    const host = await openDetail(session, so);
    await eventually('the Pause button', async () => (await host.getByRole('button', { name: PAUSE }).count()) > 0);
    try {
      await act(session, host, PAUSE);
      await eventually('the API server to have the ScaledObject paused', async () => isPaused(await get(...ref)));
      await eventually('the page to show it paused and offer Resume', async () =>
        (await host.getByRole('button', { name: RESUME }).count()) > 0
      );
      await session.screenshot('action-paused');
      await act(session, host, RESUME);
      await eventually('the API server to have it resumed', async () => !isPaused(await get(...ref)));
      await eventually('the page to offer Pause again', async () => (await host.getByRole('button', { name: PAUSE }).count()) > 0);
      assert.deepEqual(session.problems, []);
    } finally {
      // Leave the scenario as it was even when an assertion failed half-way.
      await kubectl(['annotate', 'scaledobjects.keda.sh', so.metadata.name, '-n', so.metadata.namespace, `${PAUSED}-`]).catch(
        err => console.error(`could not resume ${so.metadata.namespace}/${so.metadata.name}: ${err.message}`)
      );
    }
  });
});

for (const user of ['alice', 'bob']) {
  test(`${user} is offered pause only where RBAC allows it`, async t => {
    if (!context.users[user]) {
      t.skip(`no user ${user} in this run`);
      return;
    }
    assert.ok(await pauseFeature(), 'the admin is offered the pause action');
    const so = await unpausedInTeamA();
    const allowed = await canI('patch', 'scaledobjects.keda.sh', { namespace: so.metadata.namespace, user });
    await withSession({ name: `actions-${user}` }, async session => {
      await loginWithToken(session, context.users[user].token);
      const host = await openDetail(session, so, context.tokenCluster);
      const offered = (await host.getByRole('button', { name: PAUSE }).count()) > 0;
      assert.equal(offered, allowed, `pause offered to ${user}: ${offered}, RBAC allows: ${allowed}`);
      await session.screenshot(`actions-${user}`);
      assert.deepEqual(session.problems, []);
    });
  });
}
