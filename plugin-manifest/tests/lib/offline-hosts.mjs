// The network the installers see in these tests. There is no internet here, so https://artifacthub.io/
// and https://github.com/ are answered by the test's loopback server (./registry.mjs). Only the host
// changes: Headlamp's installer code builds the same URLs, validates them (validateArchiveURL accepts
// github.com release URLs only, never 127.0.0.1) and fetches them exactly as in production. Any other
// URL fails, so nothing reaches out by accident.
//
// In-process: `routeToLoopback(origin)`. For a child process (pluginctl's CLI, as the Helm chart runs it):
// `node --import <this file>` with LOOPBACK_ORIGIN in the environment.
export const HOSTS = ['artifacthub.io', 'github.com'];

const realFetch = globalThis.fetch;

/** Sends the installers' requests for HOSTS to `origin` (`http://127.0.0.1:<port>`) as `/<host><path>`. */
export function routeToLoopback(origin) {
  globalThis.fetch = (input, ...rest) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    if (url.protocol !== 'https:' || !HOSTS.includes(url.host)) {
      return Promise.reject(new TypeError(`offline test: no route to ${url.href}`));
    }
    return realFetch(`${origin}/${url.host}${url.pathname}${url.search}`, ...rest);
  };
}

/** Undoes routeToLoopback. */
export function restoreFetch() {
  globalThis.fetch = realFetch;
}

if (process.env.LOOPBACK_ORIGIN) routeToLoopback(process.env.LOOPBACK_ORIGIN);
