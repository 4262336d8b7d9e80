#!/usr/bin/env node
// STAND-IN for Headlamp's Go backend (`headlamp-server`), used only while the real one cannot be built here:
// the Go module proxy refuses `github.com/kubernetes-sigs/headlamp/backend` at every version (403 "This
// module version is not available"), and no other registry ships the binary. `cargo xtask e2e|demo` prefer
// the real binary whenever one is present ($HEADLAMP_SERVER).
//
// It implements the part of the backend's HTTP contract that Headlamp's web frontend uses, written from
// the backend's documented behaviour (v0.45.0), with the same flags:
//   - the single-page app from -html-static-dir (unknown paths get index.html);
//   - GET /plugins: [{path: "plugins/<dir>", type: "development", name: "<dir>"}] for every folder of
//     -plugins-dir that has a main.js (the layout of the desktop app and the Helm chart), and the files
//     under /plugins/ with no-cache headers;
//   - GET /config: {clusters: [{name, server, auth_type, meta_data}], ...} from the -kubeconfig contexts;
//   - POST /clusters/<c>/set-token {token}: the token in HttpOnly SameSite=Strict cookies
//     `headlamp-auth-<c>.<i>` (path /clusters/<c>), empty token clears them;
//   - /clusters/<c>/<api...>: reverse proxy to the context's API server with the context's TLS client
//     credentials, plus `Authorization: Bearer <cookie token>` when the cookie is set; WebSocket upgrades
//     (watches) are proxied too, minus Headlamp's own `base64url.headlamp.authorization` sub-protocol.
// Dependencies: Node's standard library and js-yaml (already installed with @kinvolk/headlamp-plugin).
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import yaml from 'js-yaml';

const COOKIE_CHUNK = 3800; // the backend splits long tokens over several cookies of this size
const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

function parseFlags(argv) {
  const flags = { port: '4466', 'listen-addr': '' };
  for (let i = 0; i < argv.length; i++) {
    const m = argv[i].match(/^--?([a-z-]+)(?:=(.*))?$/);
    if (!m) throw new Error(`unexpected argument ${argv[i]}`);
    if (m[2] !== undefined) flags[m[1]] = m[2];
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('-')) flags[m[1]] = argv[++i];
    else flags[m[1]] = 'true';
  }
  for (const required of ['html-static-dir', 'plugins-dir', 'kubeconfig']) {
    if (!flags[required]) throw new Error(`-${required} is required`);
  }
  return flags;
}

/** Contexts of a kubeconfig with what the proxy needs: server URL and TLS/bearer credentials. */
function loadContexts(file) {
  const kc = yaml.load(fs.readFileSync(file, 'utf8'));
  const dir = path.dirname(file);
  const byName = (list, name) => (list || []).find(x => x.name === name);
  const read = (data, file_) =>
    data ? Buffer.from(data, 'base64') : file_ ? fs.readFileSync(path.resolve(dir, file_)) : undefined;
  const contexts = new Map();
  for (const { name, context } of kc.contexts || []) {
    const cluster = byName(kc.clusters, context.cluster)?.cluster;
    const user = byName(kc.users, context.user)?.user || {};
    if (!cluster) {
      contexts.set(name, { name, error: `cluster ${context.cluster} not found in ${file}` });
      continue;
    }
    contexts.set(name, {
      name,
      namespace: context.namespace,
      extensions: Object.fromEntries((context.extensions || []).map(e => [e.name, e.extension])),
      server: new URL(cluster.server),
      ca: read(cluster['certificate-authority-data'], cluster['certificate-authority']),
      insecure: !!cluster['insecure-skip-tls-verify'],
      cert: read(user['client-certificate-data'], user['client-certificate']),
      key: read(user['client-key-data'], user['client-key']),
      token: user.token || (user.tokenFile ? fs.readFileSync(path.resolve(dir, user.tokenFile), 'utf8').trim() : undefined),
      authType: user['auth-provider']?.name === 'oidc' ? 'oidc' : '',
    });
  }
  return contexts;
}

function sanitizeCluster(name) {
  return name.replace(/[^a-zA-Z0-9\-_]/g, '');
}

function cookies(req) {
  const out = {};
  for (const part of (req.headers.cookie || '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

function tokenFromCookie(req, cluster) {
  const jar = cookies(req);
  const prefix = `headlamp-auth-${sanitizeCluster(cluster)}.`;
  let token = '';
  for (let i = 0; jar[prefix + i] !== undefined; i++) token += jar[prefix + i];
  return token;
}

function tokenCookies(cluster, token) {
  const base = `Path=/clusters/${cluster}; HttpOnly; SameSite=Strict`;
  const name = i => `headlamp-auth-${sanitizeCluster(cluster)}.${i}`;
  if (!token) {
    return [0, 1, 2, 3].map(i => `${name(i)}=; ${base}; Max-Age=0`);
  }
  const chunks = [];
  for (let i = 0; i * COOKIE_CHUNK < token.length; i++) {
    chunks.push(`${name(i)}=${encodeURIComponent(token.slice(i * COOKIE_CHUNK, (i + 1) * COOKIE_CHUNK))}; ${base}; Max-Age=86400`);
  }
  return chunks;
}

function sendJson(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache' });
  res.end(JSON.stringify(body));
}

function serveFile(res, file, { noCache = false } = {}) {
  const headers = { 'Content-Type': MIME[path.extname(file)] || 'application/octet-stream' };
  if (noCache) headers['Cache-Control'] = 'no-cache';
  res.writeHead(200, headers);
  fs.createReadStream(file).pipe(res);
}

/** A path under `root` for a URL path, or null if it escapes root or is not a file. */
function fileUnder(root, urlPath) {
  const file = path.resolve(root, '.' + path.posix.normalize('/' + decodeURIComponent(urlPath)));
  if (!file.startsWith(path.resolve(root) + path.sep)) return null;
  try {
    return fs.statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}

function pluginList(pluginsDir) {
  if (!fs.existsSync(pluginsDir)) return [];
  return fs
    .readdirSync(pluginsDir, { withFileTypes: true })
    .filter(d => d.isDirectory() && fs.existsSync(path.join(pluginsDir, d.name, 'main.js')))
    .map(d => ({ path: `plugins/${d.name}`, type: 'development', name: d.name }));
}

function clusterConfig(contexts, kubeconfig) {
  return {
    clusters: [...contexts.values()].map(c =>
      c.error
        ? { name: c.name, error: c.error }
        : {
            name: c.name,
            server: c.server.toString().replace(/\/$/, ''),
            auth_type: c.authType,
            meta_data: {
              source: 'kubeconfig',
              namespace: c.namespace || '',
              extensions: c.extensions,
              origin: { kubeconfig },
              originalName: c.name,
            },
          }
    ),
    isDynamicClusterEnabled: false,
    allowKubeconfigChanges: false,
    defaultPodDebugImage: '',
    defaultNodeShellImage: '',
    defaultNodeShellNamespace: '',
  };
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'];

/** Request options towards the API server of `ctx` for the browser request `req` to `apiPath`. */
function upstreamOptions(ctx, req, apiPath, clusterName) {
  const headers = { ...req.headers };
  delete headers.host;
  // Origin stays: the API server's WebSocket handshake refuses a watch without one (403).
  delete headers.cookie;
  const token = tokenFromCookie(req, clusterName) || ctx.token;
  if (token) headers.authorization = `Bearer ${token}`;
  headers['x-forwarded-host'] = ctx.server.host;
  return {
    protocol: ctx.server.protocol,
    hostname: ctx.server.hostname,
    port: ctx.server.port || (ctx.server.protocol === 'https:' ? 443 : 80),
    method: req.method,
    path: apiPath,
    headers,
    ca: ctx.ca,
    cert: ctx.cert,
    key: ctx.key,
    rejectUnauthorized: !ctx.insecure,
    // SNI takes host names only.
    servername: net.isIP(ctx.server.hostname) ? undefined : ctx.server.hostname,
  };
}

function proxyHttp(ctx, req, res, apiPath, clusterName) {
  const opts = upstreamOptions(ctx, req, apiPath, clusterName);
  for (const h of HOP_BY_HOP) delete opts.headers[h];
  const upstream = (ctx.server.protocol === 'https:' ? https : http).request(opts, up => {
    const headers = { ...up.headers };
    for (const h of HOP_BY_HOP) delete headers[h];
    res.writeHead(up.statusCode || 502, headers);
    up.pipe(res);
  });
  upstream.on('error', err => {
    if (!res.headersSent) sendJson(res, 502, { message: `cluster ${clusterName}: ${err.message}` });
    else res.destroy(err);
  });
  req.pipe(upstream);
  res.on('close', () => upstream.destroy());
}

function proxyUpgrade(ctx, req, socket, head, apiPath, clusterName) {
  const opts = upstreamOptions(ctx, req, apiPath, clusterName);
  const protocols = (req.headers['sec-websocket-protocol'] || '')
    .split(',')
    .map(p => p.trim())
    .filter(p => p && !p.startsWith('base64url.headlamp.authorization.k8s.io'));
  if (protocols.length) opts.headers['sec-websocket-protocol'] = protocols.join(', ');
  else delete opts.headers['sec-websocket-protocol'];
  delete opts.headers['user-agent'];
  const connect = ctx.server.protocol === 'https:' ? tls.connect : net.connect;
  const upstream = connect(
    { host: opts.hostname, port: Number(opts.port), ca: opts.ca, cert: opts.cert, key: opts.key, rejectUnauthorized: opts.rejectUnauthorized, servername: opts.servername, ALPNProtocols: ['http/1.1'] },
    () => {
      const lines = [`${req.method} ${apiPath} HTTP/1.1`, `Host: ${ctx.server.host}`];
      for (const [k, v] of Object.entries(opts.headers)) {
        for (const value of Array.isArray(v) ? v : [v]) lines.push(`${k}: ${value}`);
      }
      upstream.write(lines.join('\r\n') + '\r\n\r\n');
      if (head?.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    }
  );
  const close = () => {
    upstream.destroy();
    socket.destroy();
  };
  upstream.on('error', close);
  socket.on('error', close);
  socket.on('close', () => upstream.destroy());
  upstream.on('close', () => socket.destroy());
}

function main() {
  const flags = parseFlags(process.argv.slice(2));
  const staticDir = path.resolve(flags['html-static-dir']);
  const pluginsDir = path.resolve(flags['plugins-dir']);
  const kubeconfig = path.resolve(flags.kubeconfig);
  const contexts = loadContexts(kubeconfig);
  const index = path.join(staticDir, 'index.html');

  const route = (req) => {
    const url = new URL(req.url, 'http://x');
    const m = url.pathname.match(/^\/clusters\/([^/]+)(\/.*)?$/);
    if (!m) return { url };
    const clusterName = decodeURIComponent(m[1]);
    return { url, clusterName, ctx: contexts.get(clusterName), apiPath: (m[2] || '/') + url.search };
  };

  const server = http.createServer((req, res) => {
    const { url, clusterName, ctx, apiPath } = route(req);
    const p = url.pathname;
    try {
      if (clusterName !== undefined) {
        if (!ctx) return sendJson(res, 404, { message: `no cluster named ${clusterName}` });
        if (ctx.error) return sendJson(res, 400, { message: ctx.error });
        if (p === `/clusters/${encodeURIComponent(clusterName)}/set-token` && req.method === 'POST') {
          let body = '';
          req.on('data', d => (body += d));
          req.on('end', () => {
            let token;
            try {
              token = JSON.parse(body).token;
            } catch {
              res.writeHead(400);
              return res.end('Invalid JSON');
            }
            res.writeHead(200, { 'Set-Cookie': tokenCookies(clusterName, token || '') });
            res.end();
          });
          return;
        }
        return proxyHttp(ctx, req, res, apiPath, clusterName);
      }
      if (p === '/config') return sendJson(res, 200, clusterConfig(contexts, kubeconfig));
      if (p === '/plugins') return sendJson(res, 200, pluginList(pluginsDir));
      if (p.startsWith('/plugins/')) {
        const file = fileUnder(pluginsDir, p.slice('/plugins/'.length));
        if (file) return serveFile(res, file, { noCache: true });
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        return res.end('404 page not found\n');
      }
      const file = p === '/' ? null : fileUnder(staticDir, p.slice(1));
      return serveFile(res, file || index, { noCache: !file });
    } catch (err) {
      console.error(`${req.method} ${req.url}:`, err);
      if (!res.headersSent) sendJson(res, 500, { message: String(err.message || err) });
    }
  });

  server.on('upgrade', (req, socket, head) => {
    const { clusterName, ctx, apiPath } = route(req);
    if (!ctx || ctx.error) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    proxyUpgrade(ctx, req, socket, head, apiPath, clusterName);
  });

  const host = flags['listen-addr'] || '127.0.0.1';
  server.listen(Number(flags.port), host, () => {
    const { port } = server.address();
    console.log(`headlamp stand-in backend listening on http://${host}:${port}/ (clusters: ${[...contexts.keys()].join(', ')}; plugins: ${pluginsDir})`);
  });
  // Watches keep connections open for good: exit instead of waiting for them to end.
  const stop = () => process.exit(0);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main();
