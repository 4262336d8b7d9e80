// Light and dark: the plugin follows Headlamp's theme (the host carries the MUI palette as CSS variables),
// so its text is readable on Headlamp's background in both.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withSession } from './lib/browser.mjs';
import { clusterPath } from './lib/context.mjs';
import { setTheme, waitForPlugin } from './lib/headlamp.mjs';
import { eventually } from './lib/poll.mjs';

/** Relative luminance of a CSS rgb()/rgba() colour (0 black .. 1 white). */
function luminance(css) {
  const m = css.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)/);
  assert.ok(m, `a colour: ${css}`);
  const [r, g, b] = m.slice(1, 4).map(v => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

async function hostColours(session) {
  return session.page.evaluate(() => {
    const host = document.querySelector('.autoscaling-insights-host');
    const main = document.querySelector('main');
    const text = host.querySelector('td, p, span, div') || host;
    return {
      theme: host.getAttribute('data-theme'),
      page: getComputedStyle(main).backgroundColor === 'rgba(0, 0, 0, 0)' ? getComputedStyle(document.body).backgroundColor : getComputedStyle(main).backgroundColor,
      text: getComputedStyle(text).color,
      variable: getComputedStyle(host).getPropertyValue('--ai-text').trim(),
    };
  });
}

for (const theme of ['light', 'dark']) {
  test(`the ${theme} theme renders the plugin in Headlamp's colours`, async () => {
    await withSession({ colorScheme: theme, name: `theme-${theme}` }, async session => {
      await session.goto(clusterPath('/autoscaling/scaledobjects'));
      await waitForPlugin(session);
      await setTheme(session, theme);
      await eventually('the table', async () => (await session.page.locator('table tbody tr').count()) > 0);
      const c = await eventually(`the host to report the ${theme} theme`, async () => {
        const colours = await hostColours(session);
        return colours.theme === theme ? colours : false;
      });
      assert.ok(c.variable, 'the host carries the theme as CSS variables');
      const bg = luminance(c.page);
      const fg = luminance(c.text);
      if (theme === 'dark') assert.ok(bg < 0.2 && fg > 0.4, `light text on dark ground: ${JSON.stringify(c)}`);
      else assert.ok(bg > 0.6 && fg < 0.3, `dark text on light ground: ${JSON.stringify(c)}`);
      // WCAG contrast of at least 4.5:1 between the plugin's text and Headlamp's background.
      const contrast = (Math.max(bg, fg) + 0.05) / (Math.min(bg, fg) + 0.05);
      assert.ok(contrast >= 4.5, `contrast ${contrast.toFixed(1)}:1 in ${JSON.stringify(c)}`);
      await session.screenshot(`theme-${theme}`);
      assert.deepEqual(session.problems, []);
    });
  });
}
