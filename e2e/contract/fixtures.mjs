// What the Kubernetes API answers in the contract tests: objects as KEDA, Karpenter and Kubernetes wrote
// them. The captures of the local cluster (testdata/demo/<moment>/, written by `cargo xtask fixtures`) are
// served like an API server serves them — cluster-wide lists, per-namespace lists and single objects —
// when present; until then, the upstream examples of testdata/examples/keda/ (one of them with a status
// written by a real KEDA operator).
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { repo } from './headlamp.mjs';

/** The capture moment used: the first in name order, so the choice is stable. */
function captureDir() {
  const root = path.join(repo, 'testdata', 'demo');
  if (!fs.existsSync(root)) return null;
  const moments = fs
    .readdirSync(root, { withFileTypes: true })
    .filter(e => e.isDirectory() && fs.existsSync(path.join(root, e.name, 'scaledobjects.json')))
    .map(e => e.name)
    .sort();
  return moments.length ? path.join(root, moments[0]) : null;
}

function documents(file) {
  const docs = yaml.loadAll(fs.readFileSync(file, 'utf8')).filter(Boolean);
  return docs.flatMap(d => (Array.isArray(d.items) ? d.items : [d]));
}

/** Lists of a capture by `<api prefix>/<plural>`, e.g. `/apis/keda.sh/v1alpha1/scaledobjects`. */
function captureLists(dir) {
  const lists = new Map();
  for (const file of fs.readdirSync(dir)) {
    if (!file.endsWith('.json') || file === 'capture.json' || file.startsWith('external-metrics')) continue;
    const list = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    if (!Array.isArray(list.items) || !list.apiVersion) continue;
    const prefix = list.apiVersion.includes('/') ? `/apis/${list.apiVersion}` : `/api/${list.apiVersion}`;
    lists.set(`${prefix}/${file.slice(0, -'.json'.length)}`, list);
  }
  return lists;
}

const PATH = /^(\/api\/v1|\/apis\/[^/]+\/[^/]+)(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?$/;

/** An API server over a capture: answers GET of lists and objects it holds, null for anything else. */
function captureApi(dir) {
  const lists = captureLists(dir);
  const external = (() => {
    const f = path.join(dir, 'external-metrics.json');
    return fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, 'utf8')).requests || [] : [];
  })();
  return (apiPath, request) => {
    if (request && request.method() !== 'GET') return null;
    const url = request ? new URL(request.url()) : null;
    const metric = external.find(r => url && r.path === apiPath + url.search);
    if (metric) {
      return metric.response && !metric.response.error
        ? { status: 200, json: metric.response }
        : { status: 404, json: { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: metric.response?.error ?? 'no value', reason: 'NotFound', code: 404 } };
    }
    const m = apiPath.match(PATH);
    if (!m) return null;
    const [, prefix, namespace, plural, name] = m;
    const list = lists.get(`${prefix}/${plural}`);
    if (!list) return null;
    const items = list.items.filter(o => !namespace || o.metadata.namespace === namespace);
    if (name) {
      const one = items.find(o => o.metadata.name === name);
      return one
        ? { status: 200, json: one }
        : { status: 404, json: { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `${plural} "${name}" not found`, reason: 'NotFound', code: 404 } };
    }
    return { status: 200, json: { ...list, items } };
  };
}

/** The ScaledObjects the API holds, where they came from, and the API answering for them. */
export function scaledObjects() {
  const dir = captureDir();
  if (dir) {
    const items = JSON.parse(fs.readFileSync(path.join(dir, 'scaledobjects.json'), 'utf8')).items;
    return { items, source: path.relative(repo, dir), api: captureApi(dir) };
  }
  const examples = path.join(repo, 'testdata', 'examples', 'keda');
  const items = ['scaledobject-list-status-2024.yaml', 'scaledobject-sample.yaml']
    .flatMap(f => documents(path.join(examples, f)))
    .filter(o => o.kind === 'ScaledObject');
  const api = apiPath => {
    if (apiPath === '/apis/keda.sh/v1alpha1/scaledobjects') return { status: 200, json: list('ScaledObject', items) };
    const one = items.find(
      o => apiPath === `/apis/keda.sh/v1alpha1/namespaces/${o.metadata.namespace}/scaledobjects/${o.metadata.name}`
    );
    return one ? { status: 200, json: one } : null;
  };
  return { items, source: 'testdata/examples/keda', api };
}

/** A Kubernetes list body. */
export function list(kind, items) {
  return { apiVersion: 'keda.sh/v1alpha1', kind: `${kind}List`, metadata: { resourceVersion: '1' }, items };
}
