import assert from 'node:assert/strict';
// Headlamp as a user meets it: the sidebar, token login, the plugin's pages.
import { context, clusterPath } from './context.mjs';
import { eventually } from './poll.mjs';

/** The plugin's pages, as the plugin declares them (frontend/js/routes.json is the one list). */
export { clusterPath };

/** Waits until Headlamp's plugin loader has run our plugin (it registers into window.plugins / the sidebar). */
export async function waitForPlugin(session) {
  await eventually('the plugin to appear in the Headlamp sidebar', async () =>
    session.page.getByRole('button', { name: 'Autoscaling' }).or(session.page.getByText('Autoscaling', { exact: true })).first().isVisible()
  );
}

/**
 * Logs in to `cluster` with a bearer token the way Headlamp's web UI does: open a cluster page, get
 * redirected to Headlamp's token page (the API server said 401/403), paste the token, Authenticate.
 * Headlamp's backend keeps the token in an HttpOnly cookie.
 */
export async function loginWithToken(session, token, { cluster = context.tokenCluster, landing = '/' } = {}) {
  if (!cluster) throw new Error('the run has no token cluster (context.tokenCluster)');
  // Before the token is set Headlamp's own probes fail with 401 and it logs them: that is the login
  // flow working, not a fault. Only those are dropped, and only from before the login.
  const before = session.problems.length;
  await session.goto(clusterPath(landing, cluster));
  const field = session.page.locator('input#token');
  await eventually('Headlamp to ask for a token', () => field.isVisible(), { timeoutMs: context.timeoutMs });
  await field.fill(token);
  await session.page.getByRole('button', { name: 'Authenticate' }).click();
  await eventually('the token page to close after login', async () => !(await field.isVisible()), {
    timeoutMs: context.timeoutMs,
  });
  const during = session.problems.splice(before);
  session.problems.push(...during.filter(p => !/Unauthorized|401/.test(p)));
}

/** Switches Headlamp's theme with the app bar button (each click flips light/dark and stores the choice). */
export async function setTheme(session, name) {
  const page = session.page;
  const stored = () => page.evaluate(() => localStorage.headlampThemePreference || '');
  // Without a stored choice the OS preference decides, so the first click may pick either: at most two.
  for (let clicks = 0; clicks < 2 && (await stored()) !== name; clicks++) {
    const before = await stored();
    await page.getByTestId('harness-theme-toggle').click();
    await eventually('the theme switch to take effect', async () => (await stored()) !== before);
  }
  assert.equal(await stored(), name, `Headlamp's theme preference is ${name}`);
  // Move the pointer off the button so its tooltip does not cover the page in screenshots.
  await page.mouse.move(1, 400);
  await eventually('the tooltip to close', async () => (await page.getByRole('tooltip').count()) === 0);
}

/** Text of every row of the first table on the page (trimmed cells), for count and content checks. */
export async function tableRows(session, scope = session.page) {
  return scope.locator('table tbody tr').evaluateAll(rows =>
    rows.map(r => Array.from(r.querySelectorAll('td')).map(td => td.textContent.trim()))
  );
}
