// CloudEventSources on the live demo cluster: listed with their destination; the page of one shows the
// destination, filters and conditions; a ClusterCloudEventSource that does not exist says so.
// pages: autoscaling-cloudeventsources, autoscaling-cloudeventsource, autoscaling-clustercloudeventsource
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withSession } from './lib/browser.mjs';
import { clusterPath } from './lib/context.mjs';
import { setTheme, waitForPlugin } from './lib/headlamp.mjs';
import { list } from './lib/kube.mjs';
import { eventually } from './lib/poll.mjs';

test('CloudEventSources are listed and shown', async () => {
  const sources = await list('cloudeventsources.eventing.keda.sh');
  assert.ok(sources.length > 0, 'the demo scenario has a CloudEventSource');
  await withSession({ name: 'cloudeventsources' }, async session => {
    await session.goto(clusterPath('/autoscaling/cloudeventsources'));
    await waitForPlugin(session);
    await eventually('every source listed', async () => {
      const t = await session.page.locator('.autoscaling-insights-host').innerText();
      return sources.every(o => t.includes(o.metadata.name));
    });
    await session.screenshot('cloudeventsources-light');
    const ces = sources[0];
    await session.page.getByRole('link', { name: ces.metadata.name, exact: true }).first().click();
    const text = await eventually('the CloudEventSource page', async () => {
      const t = await session.page.locator('.autoscaling-insights-host').innerText();
      return t.includes(`CloudEventSource: ${ces.metadata.name}`) && t.includes('Conditions') ? t : false;
    });
    if (ces.spec.destination?.http) assert.ok(text.includes(ces.spec.destination.http.uri), 'the destination URI');
    await session.screenshot('cloudeventsource-light');
    await setTheme(session, 'dark');
    await session.screenshot('cloudeventsource-dark');

    // A ClusterCloudEventSource that is not there: "Not found", not a blank page.
    await session.goto(clusterPath('/autoscaling/clustercloudeventsources/no-such-source'));
    const panel = session.page.locator('.ai-panel-error');
    await panel.waitFor();
    assert.match(await panel.innerText(), /Not found|Not installed/);
    assert.deepEqual(session.problems, []);
  });
});
