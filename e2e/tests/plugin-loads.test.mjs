// The plugin as Headlamp's own loader sees it: listed by the backend from a plugins folder laid out like
// the desktop app's and the Helm chart's, found compatible, run, registered in the sidebar, and no errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withSession } from './lib/browser.mjs';
import { clusterPath, context } from './lib/context.mjs';
import { waitForPlugin } from './lib/headlamp.mjs';
import { eventually } from './lib/poll.mjs';

test('the backend lists the plugin and serves its main.js and package.json', async () => {
  const list = await (await fetch(new URL('/plugins', context.headlampUrl))).json();
  const entry = list.find(p => p.name === context.pluginName);
  assert.ok(entry, `GET /plugins lists ${context.pluginName}: ${JSON.stringify(list)}`);
  assert.equal(entry.path, `plugins/${context.pluginName}`);

  const pkg = await (await fetch(new URL(`/${entry.path}/package.json`, context.headlampUrl))).json();
  // Headlamp refuses plugins that do not declare the plugin API they were built for.
  assert.match(pkg.devDependencies?.['@kinvolk/headlamp-plugin'] ?? '', /\d/, 'package.json declares @kinvolk/headlamp-plugin');
  const main = await fetch(new URL(`/${entry.path}/main.js`, context.headlampUrl));
  assert.equal(main.status, 200);
  assert.ok((await main.text()).length > 1000, 'main.js has content');
});

test('Headlamp loads the plugin: sidebar entries, its page, no console errors', async () => {
  await withSession({ name: 'plugin-loads' }, async session => {
    // Straight to the plugin's page: Headlamp's own overview page logs errors of its own (no metrics
    // server here) that would hide whether ours are clean.
    await session.goto(clusterPath('/autoscaling/scaledobjects'));
    await waitForPlugin(session);

    const page = session.page;
    const incompatible = await page.getByText(/Incompatible plugins disabled/).count();
    assert.equal(incompatible, 0, 'Headlamp did not disable the plugin as incompatible');
    await eventually('the ScaledObjects entry under Autoscaling in the sidebar', async () =>
      page.getByRole('button', { name: 'ScaledObjects' }).or(page.getByRole('link', { name: 'ScaledObjects' })).first().isVisible()
    );
    await eventually('the plugin page to render inside Headlamp', async () =>
      page.locator('.autoscaling-insights-host table').first().isVisible()
    );
    assert.match(page.url(), new RegExp(`/c/${context.cluster}/autoscaling/scaledobjects$`));
    assert.match(await page.title(), new RegExp(context.cluster), "Headlamp's route switcher titled the page");
    await session.screenshot('plugin-loaded');
    assert.deepEqual(session.problems, [], 'no console errors, page errors or failed requests');
  });
});
