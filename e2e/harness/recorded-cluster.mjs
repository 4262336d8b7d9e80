#!/usr/bin/env node
// The recorded demo cluster: a read-only Kubernetes API on loopback that answers from the moments captured
// from the real demo cluster (testdata/demo/<moment>/, written by `cargo xtask fixtures`), the way
// kube-apiserver answers (lists, per-namespace lists, objects, selectors, External Metrics; see
// e2e/contract/demo-api.mjs, which the contract tests use too).
//
// `cargo xtask demo` serves it in Headlamp at once (context `recorded-demo`) while the live cluster's Go
// components build. Every timestamp is moved forward so that the moment looks as if captured when it is
// first shown (ages grow from there), and the moments take turns: idle -> scaling-out -> blocked.
// Writes are refused (403 "recorded"), so no action seems to work when it did not.
//
// usage: node recorded-cluster.mjs -port <port> [-listen-addr 127.0.0.1] [-cycle-seconds 120]
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { answer, demoMoment } from '../contract/demo-api.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const repo = path.resolve(here, '..', '..');
const ORDER = ['idle', 'scaling-out', 'blocked'];
const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z$/;

function flags(argv) {
  const out = { port: '', 'listen-addr': '127.0.0.1', 'cycle-seconds': '120' };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--?/, '');
    if (!(name in out) || argv[i + 1] === undefined) throw new Error(`unexpected argument ${argv[i]}`);
    out[name] = argv[i + 1];
  }
  if (!/^\d+$/.test(out.port)) throw new Error('-port <number> is required');
  return out;
}

/** A copy of `value` with every RFC 3339 UTC timestamp moved by `shiftMs`, fractions kept. */
export function shifted(value, shiftMs) {
  if (typeof value === 'string') {
    const m = value.match(RFC3339);
    if (!m) return value;
    const t = new Date(`${m[1]}Z`).getTime() + shiftMs;
    return `${new Date(t).toISOString().slice(0, 19)}${m[2] ?? ''}Z`;
  }
  if (Array.isArray(value)) return value.map(v => shifted(v, shiftMs));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shifted(v, shiftMs)]));
  }
  return value;
}

/** The moments present in testdata/demo, in the order they take turns. */
function moments() {
  const root = path.join(repo, 'testdata', 'demo');
  return ORDER.filter(m => fs.existsSync(path.join(root, m, 'capture.json'))).map(m => ({
    name: m,
    capturedAt: JSON.parse(fs.readFileSync(path.join(root, m, 'capture.json'), 'utf8')).captured_at,
    demo: demoMoment(m),
  }));
}

function status(code, reason, message) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function main() {
  const opts = flags(process.argv.slice(2));
  const all = moments();
  if (all.length === 0) throw new Error('no captures in testdata/demo (run `cargo xtask fixtures`)');
  const cycleMs = Number(opts['cycle-seconds']) * 1000;
  const started = Date.now();
  // The moment shown now, shifted so that its capture time is when it was first shown in this turn.
  let current = { index: -1, demo: null };
  const now = () => {
    const turn = Math.floor((Date.now() - started) / cycleMs);
    const index = turn % all.length;
    if (turn !== current.turn) {
      const m = all[index];
      const shownAt = started + turn * cycleMs;
      const shift = shownAt - new Date(m.capturedAt).getTime();
      current = { turn, index, demo: shifted(m.demo, shift) };
      console.log(`${new Date().toISOString()} showing moment ${m.name} (captured ${m.capturedAt}, shifted ${Math.round(shift / 60000)} min)`);
    }
    return current.demo;
  };
  const server = http.createServer((req, res) => {
    const send = (code, body) => {
      res.writeHead(code, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const apiPath = req.url;
    if (req.method === 'POST' && apiPath.endsWith('/selfsubjectaccessreviews')) {
      // Headlamp and the plugin ask before they offer an action: never here.
      let body = '';
      req.on('data', c => (body += c));
      req.on('end', () => {
        let spec = {};
        try { spec = JSON.parse(body).spec ?? {}; } catch { /* an empty review is still answered */ }
        send(201, {
          kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', spec,
          status: { allowed: false, reason: 'recorded demo cluster: read-only' },
        });
      });
      return;
    }
    if (req.method === 'POST' && apiPath.endsWith('/selfsubjectrulesreviews')) {
      return send(201, {
        kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', spec: {},
        status: { resourceRules: [{ verbs: ['get', 'list'], apiGroups: ['*'], resources: ['*'] }], nonResourceRules: [], incomplete: false },
      });
    }
    if (req.method !== 'GET') return send(403, status(403, 'Forbidden', 'recorded demo cluster: read-only'));
    if (apiPath === '/version') {
      return send(200, { major: '1', minor: '37', gitVersion: 'v1.37.2 (recorded)', platform: 'linux/amd64' });
    }
    if (/[?&]watch=(true|1)/.test(apiPath)) return send(405, status(405, 'MethodNotAllowed', 'recorded demo cluster: no watches'));
    const a = answer(now(), apiPath);
    if (!a) return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
    send(a.status, a.json);
  });
  server.listen(Number(opts.port), opts['listen-addr'], () => {
    console.log(`recorded demo cluster on http://${opts['listen-addr']}:${opts.port}: moments ${all.map(m => m.name).join(' -> ')}, ${opts['cycle-seconds']} s each`);
  });
  for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => server.close(() => process.exit(0)));
}

if (import.meta.url === `file://${process.argv[1]}`) main();
