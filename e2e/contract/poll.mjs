// Polling with a deadline: the only way these tests wait (no sleeps as synchronisation).

/** Resolves when `check()` returns a truthy value; fails after `timeoutMs` with the last error seen. */
export async function eventually(what, check, timeoutMs = 30_000, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
    }
    await new Promise(r => setTimeout(r, everyMs));
  }
}
