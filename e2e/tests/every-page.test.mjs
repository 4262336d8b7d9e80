// Every page the plugin registers (frontend/js/routes.json, the plugin's one list of routes, as inlined into
// the main.js Headlamp serves) opens inside
// Headlamp as admin on the demo scenario, settles without an error panel, console error or 5xx, and is
// photographed in light and dark. Pages with parameters (details) are reached by following the plugin's own
// links, so this test grows with the UI: a new page is covered the day it lands, and a detail page no other
// page links to fails here. Per-page files (scaledobjects.test.mjs, ...) check the data against the API server.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { withSession } from './lib/browser.mjs';
import { clusterPath, context } from './lib/context.mjs';
import { setTheme, waitForPlugin } from './lib/headlamp.mjs';
import { eventually } from './lib/poll.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);

/** The routes of the plugin being served (the build inlines routes.json as `const ROUTES = [...]`). */
async function servedRoutes() {
  const main = await (await fetch(new URL(`/plugins/${context.pluginName}/main.js`, context.headlampUrl))).text();
  const inlined = main.match(/\nconst ROUTES = (\[[\s\S]*?\n\]);\n/);
  if (inlined) return JSON.parse(inlined[1]);
  // A build that inlines them differently: the source list (equal to the build's when built from this tree).
  return JSON.parse(fs.readFileSync(path.resolve(here, '..', '..', 'frontend', 'js', 'routes.json'), 'utf8'));
}
const routes = await servedRoutes();

/** A matcher for a route's URL path under /c/<cluster>. */
function matcher(route) {
  const pattern = route.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\?:[a-zA-Z]+/g, '[^/]+');
  return new RegExp(`^/c/${context.cluster}${pattern}$`);
}

/** Waits until the plugin's page has rendered and loaded its data (or said why it could not). */
async function settled(session) {
  const host = session.page.locator('.autoscaling-insights-host');
  await eventually('the plugin page to finish loading', async () => {
    if (!(await host.first().isVisible())) return false;
    const busy = await host.locator('.ai-panel-loading').count();
    const text = (await host.first().innerText()).trim();
    return busy === 0 && text.length > 0;
  });
  return host;
}

test('every page of the plugin renders in Headlamp without errors, in light and dark', async () => {
  assert.ok(routes.length > 0, 'routes.json lists the plugin pages');
  const visited = new Map(); // route name -> URL path visited
  const queue = routes.filter(r => r.params.length === 0).map(r => clusterPath(r.path));

  await withSession({ name: 'every-page' }, async session => {
    const page = session.page;
    while (queue.length > 0 && visited.size < routes.length) {
      const urlPath = queue.shift();
      const route = routes.find(r => matcher(r).test(urlPath));
      if (!route || visited.has(route.name)) continue;
      await session.goto(urlPath);
      await waitForPlugin(session);
      const host = await settled(session);
      const errors = await host.locator('.ai-panel-error').evaluateAll(els =>
        els.map(e => `${e.getAttribute('data-error')}: ${e.innerText.replace(/\s+/g, ' ')}`)
      );
      assert.deepEqual(errors, [], `${route.name} (${urlPath}) shows no error panel as admin`);
      visited.set(route.name, urlPath);
      for (const theme of ['light', 'dark']) {
        await setTheme(session, theme);
        await session.screenshot(`page-${route.name}-${theme}`);
      }
      await setTheme(session, 'light');
      // Follow the plugin's own links to reach pages with parameters.
      const hrefs = await host.locator('a[href]').evaluateAll(as => as.map(a => new URL(a.href).pathname));
      for (const href of hrefs) {
        const target = routes.find(r => matcher(r).test(href));
        if (target && !visited.has(target.name) && !queue.includes(href)) queue.push(href);
      }
    }
    assert.deepEqual(session.problems, [], 'no console errors, page errors or 5xx on any page');
  });

  const missing = routes.filter(r => !visited.has(r.name)).map(r => `${r.name} (${r.path})`);
  assert.deepEqual(missing, [], 'pages not reached (a detail page needs a link from another page)');
  console.log(`pages covered: ${[...visited.entries()].map(([n, p]) => `${n} ${p}`).join(', ')}`);
});
