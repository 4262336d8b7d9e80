// Chromium (Debian's /usr/bin/chromium) driven by playwright-core: a fresh profile per launch, every console
// error and failed request recorded, screenshots written to the run's screenshot folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { context } from './context.mjs';

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
 * A browser session on the Headlamp under test. `problems` collects console errors, uncaught page errors and
 * failed requests; tests assert it stays empty (minus what a test expects, see `expectProblem`).
 */
export class Session {
  static async open({ colorScheme = 'light' } = {}) {
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-e2e-chromium-'));
    const browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: context.chromium,
      args: CHROMIUM_ARGS,
      headless: true,
      viewport: { width: 1440, height: 900 },
      colorScheme,
    });
    const session = new Session(browser, userDataDir);
    await session.#attach(browser.pages()[0] ?? (await browser.newPage()));
    return session;
  }

  constructor(browser, userDataDir) {
    this.browser = browser;
    this.userDataDir = userDataDir;
    this.problems = [];
    this.expected = [];
    /** Every HTTP response >= 400 (4xx are expected in places: probes of absent APIs, 403 for users). */
    this.httpErrors = [];
  }

  async #attach(page) {
    this.page = page;
    page.setDefaultTimeout(context.timeoutMs);
    page.on('console', msg => {
      if (msg.type() !== 'error') return;
      // Chromium logs every HTTP error response as a console error; those are judged by status below
      // (Headlamp itself probes APIs that may be absent, and a 403 is an answer, not a fault).
      if (msg.text().startsWith('Failed to load resource')) return;
      this.#problem(`console error: ${msg.text()}`);
    });
    page.on('response', res => {
      if (res.status() < 400) return;
      const line = `HTTP ${res.status()} ${res.request().method()} ${res.url()}`;
      this.httpErrors.push(line);
      if (res.status() >= 500) this.#problem(line);
    });
    page.on('pageerror', err => this.#problem(`page error: ${err.message}`));
    page.on('requestfailed', req => {
      // A navigation away aborts in-flight requests (watches, polls); that is not a failure of the page.
      const failure = req.failure()?.errorText ?? '';
      if (failure.includes('ERR_ABORTED')) return;
      this.#problem(`request failed: ${req.method()} ${req.url()} ${failure}`);
    });
  }

  #problem(text) {
    if (this.expected.some(re => re.test(text))) return;
    this.problems.push(text);
  }

  /** Declares a problem the test provokes on purpose (a stopped server), so it is not reported. */
  expectProblem(re) {
    this.expected.push(re);
  }

  /** Opens a path of the Headlamp under test, e.g. `/c/main/autoscaling/scaledobjects`. */
  async goto(urlPath) {
    await this.page.goto(new URL(urlPath, context.headlampUrl).toString());
  }

  /**
   * Writes a screenshot `<name>.png` of the whole page into the run's screenshot folder and returns its
   * path. Headlamp scrolls inside <main>, not the document, so the viewport is made as tall as main's
   * content for the picture (capped) and restored afterwards.
   */
  async screenshot(name) {
    const file = path.join(context.screenshotDir, `${name}.png`);
    const viewport = this.page.viewportSize();
    const overflow = await this.page.evaluate(() => {
      const main = document.querySelector('main');
      return main ? main.scrollHeight - main.clientHeight : 0;
    });
    if (overflow > 0) {
      await this.page.setViewportSize({ width: viewport.width, height: Math.min(viewport.height + overflow, 4000) });
    }
    try {
      await this.page.screenshot({ path: file, fullPage: true });
    } finally {
      if (overflow > 0) await this.page.setViewportSize(viewport);
    }
    return file;
  }

  async close() {
    await this.browser.close();
    fs.rmSync(this.userDataDir, { recursive: true, force: true });
  }
}

/**
 * Opens a session, runs `fn(session)`, always closes it. On failure the page is kept as
 * `FAILED-<options.name>.png` next to the other screenshots, so a red run shows what the user saw.
 */
export async function withSession(options, fn) {
  const session = await Session.open(options);
  try {
    return await fn(session);
  } catch (err) {
    const name = `FAILED-${(options.name ?? 'session').replace(/[^\w.-]+/g, '-')}`;
    const file = await session.screenshot(name).catch(() => null);
    if (file) err.message += `\n  screenshot: ${file}`;
    throw err;
  } finally {
    await session.close();
  }
}
