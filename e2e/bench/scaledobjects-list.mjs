// Benchmark: the ScaledObjects list with 5,000 rows, next to the same list with 50, rendered by the built
// plugin inside Headlamp's own frontend code (the contract harness) in headless Chromium. The cluster is the
// demo capture (testdata/demo/idle) copied into more namespaces; the plugin runs in direct mode, so each
// number includes fetching the lists, the `model` join in wasm and rendering. Prints numbers and ratios;
// asserts nothing about time (a benchmark, not a test).
//
// Run: `cargo xtask bench` (sets CONTRACT_HARNESS and CONTRACT_PLUGIN_DIST), or by hand with both set:
//   node e2e/bench/scaledobjects-list.mjs [rows ...]
import os from 'node:os';
import { demoMoment, multiplied, answer, withQuery } from '../contract/demo-api.mjs';
import { CLUSTER, openBrowser, startHeadlamp } from '../contract/headlamp.mjs';

const SIZES = process.argv.slice(2).map(Number).filter(n => n > 0);
const sizes = SIZES.length ? SIZES : [50, 5000];
const RUNS = Number(process.env.BENCH_RUNS || 3);

function demoWith(rows) {
  const base = demoMoment('idle');
  const per = base.lists['/apis/keda.sh/v1alpha1/scaledobjects'].items.length;
  const demo = multiplied(base, Math.ceil(rows / per));
  const so = demo.lists['/apis/keda.sh/v1alpha1/scaledobjects'];
  demo.lists['/apis/keda.sh/v1alpha1/scaledobjects'] = { ...so, items: so.items.slice(0, rows) };
  return demo;
}

/** Runs `action` in the page and resolves with the ms until `done()` holds at an animation frame. */
const IN_PAGE = `
  window.__aiTime = (action, done) => new Promise((resolve, reject) => {
    const t0 = performance.now();
    action();
    const deadline = t0 + 120000;
    const check = () => {
      if (done()) return resolve(performance.now() - t0);
      if (performance.now() > deadline) return reject(new Error('timed out'));
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });`;

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(url, rows) {
  const demo = demoWith(rows);
  const b = await openBrowser({ theme: 'light', api: (p, r) => answer(demo, withQuery(p, r)) });
  const page = b.page;
  page.setDefaultTimeout(180_000);
  try {
    await page.addInitScript(IN_PAGE);
    // Start on another page of the plugin so the wasm is decoded and initialised before timing.
    await page.goto(`${url}/c/${CLUSTER}/autoscaling/cloudeventsources`);
    await page.locator('.ai-table tbody tr').first().waitFor();
    const results = { open: [], sort: [], filter: [], scroll: [] };
    let domRows = 0;
    for (let run = 0; run < RUNS; run++) {
      // Open the list from the sidebar: fetch + join + first render.
      results.open.push(
        await page.evaluate(() =>
          window.__aiTime(
            () => document.querySelector('a[href$="/autoscaling/scaledobjects"]').click(),
            () => document.querySelector('.ai-table tbody tr td a') !== null
          )
        )
      );
      domRows = await page.evaluate(() => document.querySelectorAll('.ai-table tbody tr:not(.ai-table-spacer)').length);
      // Sort by name, descending (two clicks), until the first row changes.
      results.sort.push(
        await page.evaluate(() => {
          const first = () => document.querySelector('.ai-table tbody tr:not(.ai-table-spacer) td')?.textContent;
          const before = first();
          const button = document.querySelector('.ai-table th button');
          return window.__aiTime(() => { button.click(); button.click(); }, () => first() !== before);
        })
      );
      // Type a filter that keeps about one row in seven.
      results.filter.push(
        await page.evaluate(() => {
          const input = document.querySelector('.ai-search');
          const count = () => document.querySelector('.ai-table-count')?.textContent ?? '';
          const before = count();
          return window.__aiTime(() => {
            input.value = 'orders';
            input.dispatchEvent(new Event('input', { bubbles: true }));
          }, () => count() !== before && count().includes('of'));
        })
      );
      await page.evaluate(() => {
        const input = document.querySelector('.ai-search');
        input.value = '';
        input.dispatchEvent(new Event('input', { bubbles: true }));
      });
      // Jump to the middle of the list (only meaningful when windowed).
      results.scroll.push(
        await page.evaluate(() => {
          const box = document.querySelector('.ai-table-scroll');
          if (!box) return 0;
          const target = Math.floor(document.querySelectorAll('.ai-table').length && Number(document.querySelector('.ai-table').getAttribute('aria-rowcount') || 0) / 2);
          return window.__aiTime(() => {
            box.scrollTop = target * 48;
          }, () => [...document.querySelectorAll('.ai-table tbody tr[aria-rowindex]')].some(r => Math.abs(Number(r.getAttribute('aria-rowindex')) - target) < 5));
        })
      );
      // Leave for the next run.
      await page.evaluate(() => document.querySelector('a[href$="/autoscaling/cloudeventsources"]').click());
      await page.locator('.ai-table tbody tr td a').first().waitFor();
    }
    return {
      rows,
      domRows,
      open: median(results.open),
      sort: median(results.sort),
      filter: median(results.filter),
      scroll: median(results.scroll),
    };
  } finally {
    await b.close();
  }
}

const headlamp = await startHeadlamp();
try {
  const out = [];
  for (const rows of sizes) out.push(await measure(headlamp.url, rows));
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`ScaledObjects list in headless Chromium (${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB), median of ${RUNS} runs, ms:`);
  console.log('rows    rows-in-DOM  open(fetch+join+render)  sort(2 clicks)  filter(1 input)  scroll(to middle)');
  for (const r of out) {
    console.log(
      `${String(r.rows).padEnd(8)}${String(r.domRows).padEnd(13)}${r.open.toFixed(1).padEnd(25)}${r.sort.toFixed(1).padEnd(16)}${r.filter.toFixed(1).padEnd(17)}${r.scroll.toFixed(1)}`
    );
  }
  if (out.length >= 2) {
    const [a, b] = [out[0], out[out.length - 1]];
    console.log(
      `ratio ${b.rows}/${a.rows} rows: open ×${(b.open / a.open).toFixed(1)}, sort ×${(b.sort / a.sort).toFixed(1)}, filter ×${(b.filter / a.filter).toFixed(1)}`
    );
  }
} finally {
  headlamp.stop();
}
