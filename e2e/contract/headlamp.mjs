// The Headlamp the contract test runs the plugin in: Headlamp's own frontend code (the e2e harness, built
// by Vite from @kinvolk/headlamp-plugin/lib) served by the e2e backend stand-in (e2e/harness/backend.mjs)
// from a plugins folder holding the built plugin. There is no cluster: the test answers the Kubernetes
// API requests itself (page.route), so each answer — objects, 403, 404, no answer — is chosen per test.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { eventually } from './poll.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
export const repo = path.resolve(here, '..', '..');
export const CLUSTER = 'contract';
export const PLUGIN = 'autoscaling-insights';
const TIMEOUT_MS = Number(process.env.CONTRACT_TIMEOUT_MS || 30_000);

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the contract tests with \`cargo xtask test\``);
  return value;
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the backend stand-in; `stop()` ends it by its pid. Its one cluster's API server is `server`:
 * by default nobody listens there, and the tests answer every request themselves (`openBrowser`'s `api`).
 */
export async function startHeadlamp({ server = 'https://127.0.0.1:9' } = {}) {
  const harness = required('CONTRACT_HARNESS');
  const dist = required('CONTRACT_PLUGIN_DIST');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-contract-'));
  const plugins = path.join(work, 'plugins');
  fs.mkdirSync(path.join(plugins, PLUGIN), { recursive: true });
  for (const f of ['main.js', 'package.json']) {
    fs.copyFileSync(path.join(dist, f), path.join(plugins, PLUGIN, f));
  }
  // A cluster nobody listens on: every request the browser sends for it is answered by the test.
  const kubeconfig = path.join(work, 'kubeconfig');
  fs.writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: CLUSTER, cluster: { server } }],
      users: [{ name: 'nobody', user: { token: 'unused' } }],
      contexts: [{ name: CLUSTER, context: { cluster: CLUSTER, user: 'nobody' } }],
      'current-context': CLUSTER,
    })
  );
  const port = await freePort();
  const log = fs.openSync(path.join(work, 'backend.log'), 'w');
  const child = spawn(
    process.execPath,
    [
      path.join(repo, 'e2e', 'harness', 'backend.mjs'),
      '-html-static-dir', harness,
      '-plugins-dir', plugins,
      '-kubeconfig', kubeconfig,
      '-listen-addr', '127.0.0.1',
      '-port', String(port),
    ],
    { stdio: ['ignore', log, log] }
  );
  const url = `http://127.0.0.1:${port}`;
  await eventually('the Headlamp backend stand-in to serve /plugins', async () => {
    if (child.exitCode !== null) throw new Error(`backend exited: ${fs.readFileSync(path.join(work, 'backend.log'), 'utf8')}`);
    const r = await fetch(`${url}/plugins`).catch(() => null);
    return r !== null && r.ok && (await r.text()).includes(PLUGIN);
  }, TIMEOUT_MS);
  return {
    url,
    stop() {
      if (child.exitCode === null) process.kill(child.pid, 'SIGTERM');
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
}

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * Debian's Chromium with a fresh profile. `api` maps a Kubernetes path (as requested through
 * /clusters/<c>/) to an answer `{status, json}` or `'no-answer'`; the page records every request it
 * answers and every console/page error.
 */
export async function openBrowser({ theme = 'light', api, namespaces }) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-contract-chromium-'));
  const browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1280, height: 800 },
    colorScheme: theme,
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(TIMEOUT_MS);
  // Headlamp reads the theme preference from localStorage at start-up.
  await page.addInitScript(name => localStorage.setItem('headlampThemePreference', name), theme);
  if (namespaces) {
    // Headlamp keeps its namespace filter per cluster in localStorage and starts with it.
    await page.addInitScript(
      ({ key, value }) => localStorage.setItem(key, value),
      { key: `headlamp-selected-namespace_${CLUSTER}`, value: JSON.stringify(namespaces) }
    );
  }
  const requests = [];
  const errors = [];
  page.on('pageerror', e => errors.push(`page error: ${e.message}`));
  page.on('console', m => {
    if (m.type() !== 'error') return;
    const text = m.text();
    // HTTP error answers are chosen by the tests; Headlamp's own pages open watches (WebSockets) that
    // this cluster-less contract cannot serve. Anything else is an error of the page.
    if (text.startsWith('Failed to load resource') || /WebSocket/.test(text)) return;
    errors.push(`console: ${text}`);
  });
  // Without `api` the requests reach the cluster's API server (startHeadlamp's `server`).
  if (api) await page.route(new RegExp(`/clusters/${CLUSTER}/`), async route => {
    const url = new URL(route.request().url());
    const apiPath = url.pathname.slice(`/clusters/${CLUSTER}`.length);
    requests.push(`${route.request().method()} ${apiPath}`);
    const answer = api(apiPath, route.request()) ?? defaultAnswer(apiPath, route.request());
    if (answer === 'no-answer') return route.abort('connectionrefused');
    return route.fulfill({ status: answer.status, contentType: 'application/json', body: JSON.stringify(answer.json) });
  });
  return {
    page,
    requests,
    errors,
    async close() {
      await browser.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** What a Kubernetes API server answers for what the test did not set: Headlamp's auth check passes. */
function defaultAnswer(apiPath, request) {
  if (request.method() === 'POST' && apiPath.endsWith('/selfsubjectrulesreviews')) {
    return {
      status: 201,
      json: {
        kind: 'SelfSubjectRulesReview',
        apiVersion: 'authorization.k8s.io/v1',
        spec: {},
        status: { resourceRules: [], nonResourceRules: [], incomplete: false },
      },
    };
  }
  if (apiPath === '/version') {
    return { status: 200, json: { major: '1', minor: '33', gitVersion: 'v1.33.0', platform: 'linux/amd64' } };
  }
  return { status: 404, json: status(404, 'NotFound', 'the server could not find the requested resource') };
}

/** A Kubernetes `Status` body. */
export function status(code, reason, message) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

export function shotPath(name) {
  const dir = path.join(repo, 'e2e', 'out', 'contract');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `${name}.png`);
}

/** A picture of the whole page: Headlamp scrolls inside <main>, so the viewport grows to its content. */
export async function fullScreenshot(page, file) {
  const viewport = page.viewportSize();
  const overflow = await page.evaluate(() => {
    const main = document.querySelector('main');
    return main ? main.scrollHeight - main.clientHeight : 0;
  });
  if (overflow > 0) await page.setViewportSize({ width: viewport.width, height: Math.min(viewport.height + overflow, 6000) });
  try {
    await page.screenshot({ path: file, fullPage: true });
  } finally {
    if (overflow > 0) await page.setViewportSize(viewport);
  }
}
