// Every page the plugin registers (frontend/js/routes.json, the plugin's one list of routes) has a browser
// test: a test file here names it in a `// pages: <route name>, ...` line. A new page without one fails
// here, so the end-to-end tests grow with the UI.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const here = path.dirname(new URL(import.meta.url).pathname);
const routesFile = path.resolve(here, '..', '..', 'frontend', 'js', 'routes.json');

test('every page of the plugin has a browser test', () => {
  const routes = JSON.parse(fs.readFileSync(routesFile, 'utf8'));
  assert.ok(routes.length > 0, `${routesFile} lists the plugin's pages`);
  const covered = new Set();
  for (const file of fs.readdirSync(here).filter(f => f.endsWith('.test.mjs'))) {
    const text = fs.readFileSync(path.join(here, file), 'utf8');
    for (const m of text.matchAll(/^\/\/ pages: (.+)$/gm)) {
      for (const name of m[1].split(',')) covered.add(name.trim());
    }
  }
  const missing = routes.map(r => r.name).filter(name => !covered.has(name));
  assert.deepEqual(missing, [], `pages without a test in e2e/tests/ (add one like scaledobjects.test.mjs): ${missing.join(', ')}`);
});
