// Polling with a deadline: tests wait for a condition, never for a fixed time.

/**
 * Calls `probe` until it returns a truthy value or `timeoutMs` passes; returns that value. On timeout, fails
 * with `what` and the last value or error seen, so the failure says what was expected and what was there.
 */
export async function eventually(what, probe, { timeoutMs = 30_000, intervalMs = 250 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const seen = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${seen}`);
    }
    await new Promise(resolve => setTimeout(resolve, intervalMs));
  }
}
